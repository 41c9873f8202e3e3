using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.AspNetCore.Http;

namespace OciRegistry.Server.Tests;

/// <summary>The request log's query strings: registry parameters as sent, credentials never.</summary>
public sealed class RedactedQueryTests
{
    [Theory]
    [InlineData("?mount=sha256:ab&from=team/base", "?mount=sha256:ab&from=team/base")]
    [InlineData("?digest=sha256%3Aab", "?digest=sha256%3Aab")]
    [InlineData("?ns=docker.io&n=10", "?ns=docker.io&n=10")]
    [InlineData("?access_token=abc&n=1", "?access_token=***&n=1")]
    [InlineData("?X-Amz-Signature=abc&X-Amz-Credential=def&digest=sha256:1", "?X-Amz-Signature=***&X-Amz-Credential=***&digest=sha256:1")]
    [InlineData("?pass%77ord=abc", "?pass%77ord=***")]
    [InlineData("", "")]
    public void Redacts_OnlyCredentials(string query, string logged) =>
        Assert.Equal(logged, RedactedQuery.Of(new QueryString(query.Length == 0 ? null : query)));

    [Property]
    public Property SecretValues_NeverAppear_InTheLoggedQuery(NonEmptyString secret, bool secretFirst)
    {
        var value = Uri.EscapeDataString(secret.Get);
        var query = secretFirst ? $"?token={value}&n=1" : $"?n=1&password={value}";

        var logged = RedactedQuery.Of(new QueryString(query));

        return (logged == (secretFirst ? "?token=***&n=1" : "?n=1&password=***")).ToProperty();
    }
}
