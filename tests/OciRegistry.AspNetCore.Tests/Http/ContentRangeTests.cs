using OciRegistry.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Tests.Http;

public sealed class ContentRangeTests
{
    [Theory]
    [InlineData("0-0", 0, 0)]
    [InlineData("0-99", 0, 99)]
    [InlineData("100-199", 100, 199)]
    [InlineData(" 5-9 ", 5, 9)]
    [InlineData("bytes 0-99/200", 0, 99)]
    [InlineData("bytes=0-99/*", 0, 99)]
    public void Parses_SpecAndRfcForms(string header, long start, long end)
    {
        Assert.True(ContentRange.TryParse(header, out var parsedStart, out var parsedEnd));
        Assert.Equal((start, end), (parsedStart, parsedEnd));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("-5")]
    [InlineData("9-5")]
    [InlineData("a-b")]
    [InlineData("1--2")]
    [InlineData("+1-2")]
    [InlineData("0-99999999999999999999")]
    public void Refuses_Malformed(string header) =>
        Assert.False(ContentRange.TryParse(header, out _, out _));
}
