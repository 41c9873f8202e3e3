using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.References;

public sealed class TagTests
{
    [Theory]
    [InlineData("latest")]
    [InlineData("v1.2.3")]
    [InlineData("_")]
    [InlineData("0")]
    [InlineData("Z")]
    [InlineData("1.0-rc.1_build-7")]
    [InlineData("a..b")]
    [InlineData("a--")]
    [InlineData("sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Accepts_tags_of_the_spec_grammar(string tag)
    {
        Assert.True(Tag.IsValid(tag));
        Assert.True(Tag.IsValid(tag.AsSpan()));
        Assert.True(ReferenceGrammar.IsTag(tag));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("-v1")]
    [InlineData("v1/2")]
    [InlineData("v1:2")]
    [InlineData("v1+build")]
    [InlineData("v1 2")]
    [InlineData("v1\n")]
    [InlineData("v%31")]
    [InlineData("é")]
    public void Refuses_tags_outside_the_spec_grammar(string tag)
    {
        Assert.False(Tag.IsValid(tag));
        Assert.False(Tag.IsValid(tag.AsSpan()));
        Assert.False(ReferenceGrammar.IsTag(tag));
    }

    [Fact]
    public void Refuses_null()
    {
        Assert.False(Tag.IsValid((string?)null));
    }

    [Fact]
    public void Accepts_up_to_128_characters_and_no_more()
    {
        Assert.Equal(128, Tag.MaxLength);
        Assert.True(Tag.IsValid(new string('a', 128)));
        Assert.False(Tag.IsValid(new string('a', 129)));
    }

    [Property(MaxTest = 3000, Arbitrary = [typeof(ReferenceArbitraries)])]
    public bool Validator_accepts_exactly_what_the_spec_regex_accepts(TagCandidate candidate) =>
        Tag.IsValid(candidate.Value) == ReferenceGrammar.IsTag(candidate.Value)
        && Tag.IsValid(candidate.Value.AsSpan()) == ReferenceGrammar.IsTag(candidate.Value);

    [Fact]
    public void Generated_tags_include_both_valid_and_invalid_ones()
    {
        var samples = ReferenceArbitraries.TagCandidates.Sample(2000, 50);

        Assert.InRange(samples.Count(c => ReferenceGrammar.IsTag(c.Value)), 100, int.MaxValue);
        Assert.InRange(samples.Count(c => !ReferenceGrammar.IsTag(c.Value)), 100, int.MaxValue);
        Assert.Contains(samples, c => c.Value.Length > Tag.MaxLength && ReferenceGrammar.IsTag(c.Value[..Tag.MaxLength]));
    }
}
