using OciRegistry.Core.Digests;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.References;

public sealed class ManifestReferenceTests
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData("latest")]
    [InlineData("v1.2.3")]
    [InlineData("_")]
    [InlineData("sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Reads_a_tag(string text)
    {
        Assert.Equal(DigestParseStatus.Valid, ManifestReference.TryParse(text, out var reference));

        Assert.False(reference.IsDigest);
        Assert.Equal(text, reference.TagName);
        Assert.True(reference.Digest.IsEmpty);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData(EmptySha256)]
    [InlineData("sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")]
    public void Reads_a_digest(string text)
    {
        Assert.Equal(DigestParseStatus.Valid, ManifestReference.TryParse(text, out var reference));

        Assert.True(reference.IsDigest);
        Assert.Null(reference.TagName);
        Assert.Equal(Digest.Parse(text), reference.Digest);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(".latest")]
    [InlineData("-latest")]
    [InlineData("v1/2")]
    [InlineData("v1+2")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:e3b0")]
    [InlineData("latest:")]
    [InlineData(":latest")]
    [InlineData("a:b:c")]
    public void Refuses_text_that_is_neither_a_tag_nor_a_digest_as_malformed(string text)
    {
        Assert.Equal(DigestParseStatus.Malformed, ManifestReference.TryParse(text, out var reference));

        Assert.False(reference.IsDigest);
        Assert.Null(reference.TagName);
    }

    [Fact]
    public void Refuses_a_tag_longer_than_128_characters_as_malformed()
    {
        Assert.Equal(DigestParseStatus.Valid, ManifestReference.TryParse(new string('a', 128), out _));
        Assert.Equal(DigestParseStatus.Malformed, ManifestReference.TryParse(new string('a', 129), out _));
    }

    [Theory]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TUBDTHcRHSavM8j2XADwL")]
    public void Reports_a_digest_of_an_unregistered_algorithm_as_unsupported(string text)
    {
        Assert.Equal(DigestParseStatus.UnsupportedAlgorithm, ManifestReference.TryParse(text, out var reference));

        Assert.False(reference.IsDigest);
        Assert.Null(reference.TagName);
    }

    [Fact]
    public void Builds_a_reference_from_a_tag_or_a_digest()
    {
        var byTag = ManifestReference.ForTag("latest");
        var byDigest = ManifestReference.ForDigest(Digest.Parse(EmptySha256));

        Assert.Equal("latest", byTag.TagName);
        Assert.False(byTag.IsDigest);
        Assert.True(byDigest.IsDigest);
        Assert.Equal(EmptySha256, byDigest.ToString());
    }

    [Fact]
    public void Refuses_to_build_from_an_invalid_tag_or_an_empty_digest()
    {
        Assert.Equal("tag", Assert.Throws<ArgumentException>(() => ManifestReference.ForTag("-bad")).ParamName);
        Assert.Equal("digest", Assert.Throws<ArgumentException>(() => ManifestReference.ForDigest(default)).ParamName);
    }
}
