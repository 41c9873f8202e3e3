using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// Counts failed logins per remote address in fixed windows (.NET's rate limiter): once an address has used
/// <see cref="RegistryUsersOptions.FailedLoginLimit"/> in a window, its further logins are refused unchecked until the
/// window ends, so a password cannot be guessed faster than that, and guesses cost the registry no bcrypt.
/// </summary>
internal sealed class FailedLoginLimiter(RegistryUsersOptions options)
{
    private readonly PartitionedRateLimiter<IPAddress>? _limiter = options.FailedLoginLimit is { } limit
        ? PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = options.FailedLoginWindow,
            QueueLimit = 0,
        }))
        : null;

    /// <summary>Null when the caller may try to log in; else how long it must wait.</summary>
    public TimeSpan? RetryAfter(HttpContext context)
    {
        if (_limiter is null)
        {
            return null;
        }

        // Zero permits asks whether any are left without using one.
        using var lease = _limiter.AttemptAcquire(AddressOf(context), permitCount: 0);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : options.FailedLoginWindow;
    }

    /// <summary>Counts a failed login of the caller.</summary>
    public void Failed(HttpContext context)
    {
        using var lease = _limiter?.AttemptAcquire(AddressOf(context));
    }

    private static IPAddress AddressOf(HttpContext context) => context.Connection.RemoteIpAddress ?? IPAddress.None;
}
