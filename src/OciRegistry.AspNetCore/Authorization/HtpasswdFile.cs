using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace OciRegistry.AspNetCore.Authorization;

/// <summary>
/// The users of an htpasswd file with bcrypt hashes. bcrypt is slow on purpose (tens of milliseconds), and a push
/// sends credentials with every request, so a successful check is remembered as a SHA-256 of the password and
/// later requests compare that in constant time.
/// </summary>
internal sealed class HtpasswdFile
{
    private readonly Dictionary<string, string> _hashes;
    private readonly Func<string, string, bool> _bcryptVerify;
    private readonly string? _standInHash;
    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    private HtpasswdFile(Dictionary<string, string> hashes, Func<string, string, bool>? bcryptVerify)
    {
        _hashes = hashes;
        _bcryptVerify = bcryptVerify ?? ((password, hash) => BCrypt.Net.BCrypt.Verify(password, hash));

        // A wrong password for an unknown user is checked against a real entry's hash (the result thrown away), so it
        // costs the same bcrypt as one for a known user and the answer time does not tell which user names exist.
        _standInHash = hashes.Values.FirstOrDefault();
    }

    public static HtpasswdFile Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal), null);

    /// <summary>Reads the file; a line that is not <c>user:bcrypt-hash</c> stops the app with a message naming it.</summary>
    public static HtpasswdFile Load(string? path, Func<string, string, bool>? bcryptVerify = null)
    {
        if (path is null)
        {
            return Empty;
        }

        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var hash = colon > 0 ? text[(colon + 1)..] : "";
            if (!(hash.StartsWith("$2y$", StringComparison.Ordinal) || hash.StartsWith("$2a$", StringComparison.Ordinal) || hash.StartsWith("$2b$", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"{path}:{lineNumber} is not 'user:bcrypt-hash'; create entries with 'htpasswd -B'.");
            }

            hashes[text[..colon]] = hash;
        }

        return new HtpasswdFile(hashes, bcryptVerify);
    }

    /// <summary>How many users the file holds.</summary>
    public int Count => _hashes.Count;

    /// <summary>Whether <paramref name="password"/> is <paramref name="user"/>'s password.</summary>
    public bool Verify(string user, string password)
    {
        if (!_hashes.TryGetValue(user, out var hash))
        {
            if (_standInHash is not null)
            {
                BcryptVerify(password, _standInHash);
            }

            return false;
        }

        var fingerprint = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        if (_verified.TryGetValue(user, out var known) && CryptographicOperations.FixedTimeEquals(known, fingerprint))
        {
            return true;
        }

        var valid = BcryptVerify(password, hash);
        if (valid)
        {
            _verified[user] = fingerprint;
        }

        return valid;
    }

    private bool BcryptVerify(string password, string hash)
    {
        try
        {
            return _bcryptVerify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }
}
