using WorkFleet.Dashboard.Configuration;

namespace WorkFleet.Dashboard.Security;

/// <summary>An accepted API key as the host keeps it: its holder, its role and the SHA-256 of its UTF-8 bytes (never the key).</summary>
/// <param name="Name">Who holds it.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Sha256">The digest compared with the digest of a presented key.</param>
public sealed record ApiKey(string Name, ApiKeyRole Role, byte[] Sha256);
