namespace WorkFleet.Dashboard.Configuration;

/// <summary>
/// One API key of <c>WorkFleet:Dashboard:ApiKeys</c>. Give the secret in exactly one of <see cref="Key"/>,
/// <see cref="KeyFile"/> or <see cref="KeySha256"/>.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who holds the key (shown in logs and in 403 answers, never the key itself). Required, unique.</summary>
    public string Name { get; set; } = "";

    /// <summary>What the key may do. Default <see cref="ApiKeyRole.Read"/>.</summary>
    public ApiKeyRole Role { get; set; } = ApiKeyRole.Read;

    /// <summary>The key itself, at least 16 characters. Prefer <see cref="KeyFile"/> or <see cref="KeySha256"/> outside development.</summary>
    public string? Key { get; set; }

    /// <summary>A file holding the key (e.g. a Docker or Kubernetes secret), read once at start; surrounding whitespace is ignored.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The SHA-256 of the key's UTF-8 bytes, 64 hex digits (<c>printf %s "$KEY" | sha256sum</c>): the host never sees the key.</summary>
    public string? KeySha256 { get; set; }
}
