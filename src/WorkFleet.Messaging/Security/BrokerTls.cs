using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MassTransit;
using RabbitMQ.Client;
using WorkFleet.Messaging.Configuration;
using RabbitMqTransportOptions = WorkFleet.Messaging.Configuration.RabbitMqTransportOptions;

namespace WorkFleet.Messaging.Security;

/// <summary>
/// TLS to the broker from <see cref="RabbitMqTlsOptions"/>, loaded once: the CA certificates the broker's certificate
/// must chain to, the name it must carry, and the client certificate for mutual TLS. Applied alike to the bus
/// (MassTransit) and to the plain RabbitMQ.Client connections beside it. The server certificate is always verified:
/// a certificate that is missing, names another host or does not chain to a trusted CA ends the handshake with an
/// <see cref="AuthenticationException"/> that says which.
/// </summary>
public sealed class BrokerTls : IDisposable
{
    private const string Section = "WorkFleet:Transport:RabbitMq:Tls";
    private readonly X509Certificate2Collection? _authorities;

    private BrokerTls(string serverName, X509Certificate2Collection? authorities, string? authoritiesPath, X509Certificate2? clientCertificate)
    {
        ServerName = serverName;
        _authorities = authorities;
        AuthoritiesPath = authoritiesPath;
        ClientCertificate = clientCertificate;
    }

    /// <summary>The name the broker's certificate must carry.</summary>
    public string ServerName { get; }

    /// <summary>The private CA file, or null for the system's trust store.</summary>
    public string? AuthoritiesPath { get; }

    /// <summary>The client certificate (with its key) for mutual TLS, or null.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>
    /// Reads the files named by <paramref name="rabbit"/>'s TLS settings; null when TLS is off.
    /// </summary>
    /// <exception cref="InvalidOperationException">A setting is inconsistent or a file cannot be read; the message names the setting.</exception>
    public static BrokerTls? Load(RabbitMqTransportOptions rabbit)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        var tls = rabbit.Tls ?? new RabbitMqTlsOptions();
        if (!tls.Enabled)
        {
            var stray = new[] { (nameof(tls.ServerName), tls.ServerName), (nameof(tls.CaCertificatePath), tls.CaCertificatePath), (nameof(tls.ClientCertificatePath), tls.ClientCertificatePath), (nameof(tls.ClientKeyPath), tls.ClientKeyPath) }
                .Where(s => !string.IsNullOrWhiteSpace(s.Item2)).Select(s => $"{Section}:{s.Item1}").ToList();
            return stray.Count == 0
                ? null
                : throw new InvalidOperationException($"{string.Join(", ", stray)} set but {Section}:Enabled is false: the connection would not use TLS. Set {Section}:Enabled=true (and the broker's TLS port, usually 5671) or remove them.");
        }

        if (!string.IsNullOrWhiteSpace(tls.ClientKeyPath) && string.IsNullOrWhiteSpace(tls.ClientCertificatePath))
        {
            throw new InvalidOperationException($"{Section}:ClientKeyPath is set without {Section}:ClientCertificatePath.");
        }

        var serverName = string.IsNullOrWhiteSpace(tls.ServerName) ? rabbit.Host : tls.ServerName.Trim();
        var authorities = string.IsNullOrWhiteSpace(tls.CaCertificatePath) ? null : LoadAuthorities(tls.CaCertificatePath);
        var client = string.IsNullOrWhiteSpace(tls.ClientCertificatePath) ? null : LoadClientCertificate(tls.ClientCertificatePath, tls.ClientKeyPath);
        return new BrokerTls(serverName, authorities, tls.CaCertificatePath, client);
    }

    /// <summary>Sets TLS on a RabbitMQ.Client connection factory's <see cref="SslOption"/>.</summary>
    public void ApplyTo(SslOption ssl)
    {
        ArgumentNullException.ThrowIfNull(ssl);
        ssl.Enabled = true;
        ssl.ServerName = ServerName;
        ssl.Version = SslProtocols.None; // the operating system's choice: TLS 1.2 or 1.3
        ssl.AcceptablePolicyErrors = SslPolicyErrors.None;
        ssl.CertificateValidationCallback = ValidateServerCertificate;
        ssl.Certs = ClientCertificate is null ? null : new X509CertificateCollection { ClientCertificate };
    }

    /// <summary>Sets TLS on the bus's RabbitMQ host.</summary>
    public void ApplyTo(IRabbitMqSslConfigurator ssl)
    {
        ArgumentNullException.ThrowIfNull(ssl);
        ssl.ServerName = ServerName;
        ssl.Protocol = SslProtocols.None;

        // MassTransit accepts chain errors unless told otherwise; the callback below decides alone anyway.
        ssl.EnforcePolicyErrors(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable);
        ssl.CertificateValidationCallback = ValidateServerCertificate;
        if (ClientCertificate is not null)
        {
            ssl.Certificate = ClientCertificate;
        }
    }

    /// <summary>
    /// The handshake's check of the broker's certificate (a <see cref="RemoteCertificateValidationCallback"/>): the
    /// name as the TLS stack checked it against <see cref="ServerName"/>, and the chain, against the private CA when
    /// one is configured.
    /// </summary>
    /// <exception cref="AuthenticationException">The certificate is missing, names another host, or is not trusted.</exception>
    public bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            throw new AuthenticationException("The RabbitMQ broker presented no TLS certificate.");
        }

        using var presented = new X509Certificate2(certificate);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            throw new AuthenticationException(
                $"The RabbitMQ broker's certificate ({presented.Subject}) is not valid for '{ServerName}' ({Section}:ServerName, by default the Host).");
        }

        if (_authorities is null)
        {
            return errors == SslPolicyErrors.None
                ? true
                : throw new AuthenticationException(
                    $"The RabbitMQ broker's certificate ({presented.Subject}, issued by {presented.Issuer}) is not trusted by the system's trust store: {Describe(chain)}. For a private CA set {Section}:CaCertificatePath.");
        }

        using var ownChain = new X509Chain();
        ownChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        ownChain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        ownChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a private CA rarely publishes revocation lists
        ownChain.ChainPolicy.DisableCertificateDownloads = true; // trust is decided here, with nothing fetched from the network
        ownChain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1")); // serverAuth, as the default check demands
        if (chain is not null)
        {
            ownChain.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements.Skip(1))
            {
                ownChain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return ownChain.Build(presented)
            ? true
            : throw new AuthenticationException(
                $"The RabbitMQ broker's certificate ({presented.Subject}, issued by {presented.Issuer}) is not trusted: it does not chain to a CA in {Section}:CaCertificatePath ({AuthoritiesPath}): {Describe(ownChain)}.");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ClientCertificate?.Dispose();
        if (_authorities is not null)
        {
            foreach (var authority in _authorities)
            {
                authority.Dispose();
            }
        }
    }

    private static string Describe(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").Distinct());

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"{Section}:CaCertificatePath '{path}' cannot be read as PEM certificates: {exception.Message}", exception);
        }

        return authorities.Count > 0
            ? authorities
            : throw new InvalidOperationException($"{Section}:CaCertificatePath '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
    }

    private static X509Certificate2 LoadClientCertificate(string certificatePath, string? keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, string.IsNullOrWhiteSpace(keyPath) ? null : keyPath);

            // A PEM key is ephemeral; a PKCS#12 round trip gives TLS stacks a key they can always use.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException(
                $"{Section}:ClientCertificatePath '{certificatePath}' (key: {(string.IsNullOrWhiteSpace(keyPath) ? "in the same file" : $"{Section}:ClientKeyPath '{keyPath}'")}) cannot be read as a PEM certificate with its private key: {exception.Message}",
                exception);
        }
    }
}
