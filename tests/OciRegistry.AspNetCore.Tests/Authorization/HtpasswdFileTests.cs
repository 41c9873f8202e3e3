using OciRegistry.AspNetCore.Authorization;

namespace OciRegistry.AspNetCore.Tests.Authorization;

public sealed class HtpasswdFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-htpasswd-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Verifies_2y_2a_And_2b_Hashes()
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("pw", workFactor: 4);
        var path = Path.Combine(_folder, "htpasswd");
        File.WriteAllLines(path, ["# comment", "", $"y:$2y${hash[4..]}", $"a:$2a${hash[4..]}", $"b:$2b${hash[4..]}"]);

        var file = HtpasswdFile.Load(path);

        Assert.All(new[] { "y", "a", "b" }, user => Assert.True(file.Verify(user, "pw")));
        Assert.False(file.Verify("y", "PW"));
        Assert.False(file.Verify("unknown", "pw"));
    }

    [Fact]
    public void RemembersAVerifiedPassword_ButStillRejectsOthers()
    {
        var path = Path.Combine(_folder, "htpasswd");
        File.WriteAllText(path, "u:" + BCrypt.Net.BCrypt.HashPassword("right", workFactor: 4));
        var file = HtpasswdFile.Load(path);

        Assert.True(file.Verify("u", "right"));
        Assert.False(file.Verify("u", "wrong"));
        Assert.True(file.Verify("u", "right"));
    }

    [Theory]
    [InlineData("alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=")]
    [InlineData("alice:$apr1$abc$def")]
    [InlineData("alice:plaintext")]
    [InlineData("no-colon-line")]
    public void Refuses_NonBcryptLines_NamingFileAndLine(string line)
    {
        var path = Path.Combine(_folder, "htpasswd");
        File.WriteAllLines(path, ["# users", line]);

        var error = Assert.Throws<InvalidOperationException>(() => HtpasswdFile.Load(path));

        Assert.Contains($"{path}:2", error.Message, StringComparison.Ordinal);
    }
}
