using System.Security.Cryptography;
using System.Text;
using WorkFleet.Dashboard.Configuration;

namespace WorkFleet.Dashboard.Security;

/// <summary>
/// The API keys the host accepts. A presented key is hashed and its digest compared with every accepted digest in
/// constant time, so neither the comparison nor the number of keys checked tells an attacker how close a guess was.
/// </summary>
public sealed class ApiKeyRing
{
    private const int MinimumKeyLength = 16;
    private readonly IReadOnlyList<ApiKey> _keys;

    /// <summary>A ring of <paramref name="keys"/>.</summary>
    public ApiKeyRing(IReadOnlyList<ApiKey> keys) => _keys = keys;

    /// <summary>The accepted keys (names, roles and digests).</summary>
    public IReadOnlyList<ApiKey> Keys => _keys;

    /// <summary>The accepted key equal to <paramref name="presented"/>, or null.</summary>
    public ApiKey? Match(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var digest = Digest(presented);
        ApiKey? found = null;
        foreach (var key in _keys)
        {
            // No early exit: every digest is compared whatever matched before.
            if (CryptographicOperations.FixedTimeEquals(digest, key.Sha256))
            {
                found = key;
            }
        }

        return found;
    }

    /// <summary>The SHA-256 of <paramref name="key"/>'s UTF-8 bytes.</summary>
    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>A new random key: 32 bytes from the system's cryptographic generator, base64url (43 characters).</summary>
    public static string NewKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The ring of the configured keys (<c>KeyFile</c>s are read here).
    /// </summary>
    /// <exception cref="InvalidOperationException">A key is incomplete, ambiguous, too short, unreadable or named twice; the message names the setting.</exception>
    public static ApiKeyRing FromOptions(IList<ApiKeyOptions> configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var keys = new List<ApiKey>();
        for (var i = 0; i < configured.Count; i++)
        {
            var options = configured[i];
            var setting = $"{DashboardOptions.SectionName}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(options.Name))
            {
                throw new InvalidOperationException($"{setting}:Name is empty; every API key needs a name (who holds it).");
            }

            if (keys.Any(k => string.Equals(k.Name, options.Name, StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"{setting}:Name '{options.Name}' is used by another key; names must be unique.");
            }

            if (!Enum.IsDefined(options.Role))
            {
                throw new InvalidOperationException($"{setting}:Role must be Read, Submit or Admin, got {options.Role}.");
            }

            keys.Add(new ApiKey(options.Name, options.Role, DigestOf(options, setting)));
        }

        return new ApiKeyRing(keys);
    }

    private static byte[] DigestOf(ApiKeyOptions options, string setting)
    {
        var given = new[] { options.Key, options.KeyFile, options.KeySha256 }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (given != 1)
        {
            throw new InvalidOperationException($"{setting} ('{options.Name}'): give exactly one of Key, KeyFile or KeySha256 (got {given}).");
        }

        if (!string.IsNullOrWhiteSpace(options.KeySha256))
        {
            var hex = options.KeySha256.Trim();
            if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            {
                throw new InvalidOperationException($"{setting}:KeySha256 ('{options.Name}') must be 64 hex digits (the SHA-256 of the key's UTF-8 bytes).");
            }

            return Convert.FromHexString(hex);
        }

        var key = options.Key?.Trim();
        if (!string.IsNullOrWhiteSpace(options.KeyFile))
        {
            try
            {
                key = File.ReadAllText(options.KeyFile).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{setting}:KeyFile ('{options.Name}'): cannot read {options.KeyFile}: {ex.Message}", ex);
            }
        }

        if (key is null || key.Length < MinimumKeyLength)
        {
            throw new InvalidOperationException($"{setting} ('{options.Name}'): the key must have at least {MinimumKeyLength} characters (e.g. `openssl rand -base64 32`).");
        }

        return Digest(key);
    }
}
