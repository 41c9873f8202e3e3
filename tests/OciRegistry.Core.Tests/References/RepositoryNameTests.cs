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

    [Property(MaxTest = 3000, Arbitrary = [typeof(ReferenceArbitraries)])]
    public bool Parses_exactly_the_valid_names_and_keeps_their_text(NameCandidate candidate)
    {
        var parsed = RepositoryName.TryParse(candidate.Value, out var name);
        return parsed == ReferenceGrammar.IsRepositoryName(candidate.Value)
            && parsed == !name.IsEmpty
            && (!parsed || (name.Value == candidate.Value && name.ToString() == candidate.Value && RepositoryName.Parse(candidate.Value) == name));
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(ReferenceArbitraries)])]
    public bool Orders_and_compares_like_ordinal_text(NameCandidate left, NameCandidate right)
    {
        if (!RepositoryName.TryParse(left.Value, out var a) || !RepositoryName.TryParse(right.Value, out var b))
        {
            return true;
        }

        var ordinal = string.CompareOrdinal(left.Value, right.Value);
        return Math.Sign(a.CompareTo(b)) == Math.Sign(ordinal)
            && (a == b) == (ordinal == 0)
            && (a.GetHashCode() == b.GetHashCode() || ordinal != 0);
    }

    [Fact]
    public void Parse_refuses_an_invalid_name_with_a_FormatException()
    {
        var error = Assert.Throws<FormatException>(() => RepositoryName.Parse("a/../b"));

        Assert.Contains("a/../b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_names_nothing()
    {
        var name = default(RepositoryName);

        Assert.True(name.IsEmpty);
        Assert.Equal(string.Empty, name.ToString());
        Assert.Throws<InvalidOperationException>(() => name.Value);
    }
}
