using OciRegistry.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Tests.Http;

public sealed class ByteRangeTests
{
    [Fact]
    public void Absent_ServesEverything()
    {
        Assert.Null(ByteRange.Parse(null, 10, out var satisfiable));
        Assert.True(satisfiable);
        Assert.Null(ByteRange.Parse("", 10, out satisfiable));
        Assert.True(satisfiable);
    }

    [Theory]
    [InlineData("items=0-5")]
    [InlineData("bytes 0-1")]
    [InlineData("rows=-1")]
    public void UnknownRangeUnits_AreIgnored_AndServeEverything(string header)
    {
        Assert.Null(ByteRange.Parse(header, 10, out var satisfiable));
        Assert.True(satisfiable);
    }

    [Theory]
    [InlineData("bytes=0-4", 10, 0, 5)]
    [InlineData("bytes=2-2", 10, 2, 1)]
    [InlineData("bytes=5-", 10, 5, 5)]
    [InlineData("bytes=5-100", 10, 5, 5)]
    [InlineData("bytes=-3", 10, 7, 3)]
    [InlineData("bytes=-30", 10, 0, 10)]
    [InlineData("BYTES= 1 - 2 ", 10, 1, 2)]
    public void Resolves_SingleRanges(string header, long length, long start, long count)
    {
        var range = ByteRange.Parse(header, length, out var satisfiable);
        Assert.True(satisfiable);
        Assert.Equal(new ByteRange(start, count), range);
        Assert.Equal(start + count - 1, range!.Value.End);
    }

    [Theory]
    [InlineData("bytes=10-", 10)]
    [InlineData("bytes=10-20", 10)]
    [InlineData("bytes=5-4", 10)]
    [InlineData("bytes=-0", 10)]
    [InlineData("bytes=-1", 0)]
    [InlineData("bytes=0-", 0)]
    [InlineData("bytes=0-1,3-4", 10)]
    [InlineData("bytes=a-b", 10)]
    [InlineData("bytes=-", 10)]
    [InlineData("bytes=+1-2", 10)]
    [InlineData("bytes=1", 10)]
    public void Refuses_Unsatisfiable_Multiple_AndMalformed(string header, long length)
    {
        Assert.Null(ByteRange.Parse(header, length, out var satisfiable));
        Assert.False(satisfiable);
    }
}
