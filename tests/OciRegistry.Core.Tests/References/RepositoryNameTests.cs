using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.References;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("library/ubuntu")]
    [InlineData("a0/b1/c2")]
    [InlineData("a.b")]
    [InlineData("a_b")]
    [InlineData("a__b")]
    [InlineData("a-b")]
    [InlineData("a--b")]
    [InlineData("a---------b")]
    [InlineData("my-org/my.app_v2/sub__component")]
    [InlineData("0")]
    public void Accepts_names_of_the_spec_grammar(string name)
    {
        Assert.True(RepositoryName.IsValid(name));
        Assert.True(RepositoryName.IsValid(name.AsSpan()));
        Assert.True(ReferenceGrammar.IsRepositoryName(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/../b")]
    [InlineData("a/./b")]
    [InlineData("../a")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("a___b")]
    [InlineData("a..b")]
    [InlineData("a._b")]
    [InlineData("a-.b")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("_a")]
    [InlineData("a_")]
    [InlineData("A")]
    [InlineData("library/Ubuntu")]
    [InlineData("a:b")]
    [InlineData("a%2fb")]
    [InlineData("a b")]
    [InlineData("a\n")]
    [InlineData("é")]
    public void Refuses_names_outside_the_spec_grammar(string name)
    {
        Assert.False(RepositoryName.IsValid(name));
        Assert.False(RepositoryName.IsValid(name.AsSpan()));
        Assert.False(ReferenceGrammar.IsRepositoryName(name));
    }

    [Fact]
    public void Refuses_null()
    {
        Assert.False(RepositoryName.IsValid((string?)null));
    }

    [Fact]
    public void Accepts_up_to_255_characters_and_no_more()
    {
        var at255 = new string('a', 127) + "/" + new string('b', 127);
        var at256 = at255 + "c";

        Assert.Equal(255, RepositoryName.MaxLength);
        Assert.Equal(255, at255.Length);
        Assert.True(RepositoryName.IsValid(at255));
        Assert.False(RepositoryName.IsValid(at256));
        Assert.False(RepositoryName.IsValid(new string('a', 256)));
    }

    [Property(MaxTest = 3000, Arbitrary = [typeof(ReferenceArbitraries)])]
    public bool Validator_accepts_exactly_what_the_spec_regex_accepts(NameCandidate candidate) =>
        RepositoryName.IsValid(candidate.Value) == ReferenceGrammar.IsRepositoryName(candidate.Value)
        && RepositoryName.IsValid(candidate.Value.AsSpan()) == ReferenceGrammar.IsRepositoryName(candidate.Value);

    [Fact]
    public void Generated_names_include_both_valid_and_invalid_ones()
    {
        var samples = ReferenceArbitraries.NameCandidates.Sample(2000, 50);

        Assert.InRange(samples.Count(c => ReferenceGrammar.IsRepositoryName(c.Value)), 100, int.MaxValue);
        Assert.InRange(samples.Count(c => !ReferenceGrammar.IsRepositoryName(c.Value)), 100, int.MaxValue);
        Assert.Contains(samples, c => c.Value.Length > RepositoryName.MaxLength);
    }
}
