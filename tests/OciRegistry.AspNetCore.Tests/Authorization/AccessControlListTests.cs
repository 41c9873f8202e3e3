using OciRegistry.AspNetCore.Authorization;

namespace OciRegistry.AspNetCore.Tests.Authorization;

public sealed class AccessControlListTests
{
    private static readonly AccessControlList Rules = new(
    [
        new AccessRule { User = "alice", Repositories = "team/*", Actions = ["pull", "push"] },
        new AccessRule { User = "alice", Repositories = "exact", Actions = ["delete"] },
        new AccessRule { User = "ops", Repositories = "*", Actions = ["*"] },
        new AccessRule { User = "*", Repositories = "public/*/base", Actions = ["PULL"] },
    ]);

    [Theory]
    [InlineData("alice", "team/app", RegistryAction.Push, true)]
    [InlineData("alice", "team/a/b/c", RegistryAction.Pull, true)]
    [InlineData("alice", "team", RegistryAction.Pull, false)]
    [InlineData("alice", "teamx/app", RegistryAction.Pull, false)]
    [InlineData("alice", "other/team/app", RegistryAction.Pull, false)]
    [InlineData("alice", "team/app", RegistryAction.Delete, false)]
    [InlineData("alice", "exact", RegistryAction.Delete, true)]
    [InlineData("alice", "exactly", RegistryAction.Delete, false)]
    [InlineData("ALICE", "team/app", RegistryAction.Pull, false)]
    [InlineData("ops", "anything/at/all", RegistryAction.Delete, true)]
    [InlineData(null, "public/x/base", RegistryAction.Pull, true)]
    [InlineData(null, "public/x/base", RegistryAction.Push, false)]
    [InlineData("bob", "public/x/base", RegistryAction.Pull, true)]
    [InlineData(null, "team/app", RegistryAction.Pull, false)]
    public void Allows_ByUserPatternAndAction(string? user, string repository, RegistryAction action, bool expected) =>
        Assert.Equal(expected, Rules.Allows(user, new RegistryResource(repository, action)));

    [Fact]
    public void Catalog_NeedsACatalogOrStarAction()
    {
        Assert.True(Rules.Allows("ops", RegistryResource.Catalog));
        Assert.False(Rules.Allows("alice", RegistryResource.Catalog));
        Assert.False(Rules.Allows(null, RegistryResource.Catalog));
    }

    [Fact]
    public void Base_IsForSignedInUsersOnly()
    {
        Assert.True(Rules.Allows("nobody-with-rules", RegistryResource.Base));
        Assert.False(Rules.Allows(null, RegistryResource.Base));
    }

    [Fact]
    public void Rejects_UnknownActions_NamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new AccessControlList([new AccessRule { User = "a", Repositories = "*", Actions = ["pull", "write"] }]));

        Assert.Contains("OciRegistry:Auth:Access:0:Actions", error.Message, StringComparison.Ordinal);
        Assert.Contains("write", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_RulesWithoutUser() =>
        Assert.Throws<InvalidOperationException>(() => new AccessControlList([new AccessRule { Repositories = "*", Actions = ["pull"] }]));
}
