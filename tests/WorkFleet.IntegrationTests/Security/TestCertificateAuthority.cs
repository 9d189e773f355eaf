using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// A certificate authority made at test time, and the server and client certificates it signs (PEM text), for the
/// TLS tests against real servers (PostgreSQL, RabbitMQ).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly RSA _caKey;
    private readonly X509Certificate2 _ca;

    private TestCertificateAuthority(string name)
    {
        _caKey = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>The CA certificate, PEM: what a client names as its root certificate.</summary>
    public string CaPem => _ca.ExportCertificatePem();

    /// <summary>A new CA named <paramref name="name"/>.</summary>
    public static TestCertificateAuthority CreateAuthority(string name) => new(name);

    /// <summary>A server certificate for <c>localhost</c> and 127.0.0.1 signed by this CA: (certificate PEM, PKCS#8 key PEM).</summary>
    public (string CertificatePem, string KeyPem) IssueServerCertificate()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        return Issue("CN=localhost", names.Build(), "1.3.6.1.5.5.7.3.1"); // serverAuth
    }

    /// <summary>A client certificate for <paramref name="name"/> signed by this CA: (certificate PEM, PKCS#8 key PEM).</summary>
    public (string CertificatePem, string KeyPem) IssueClientCertificate(string name) =>
        Issue($"CN={name}", alternativeNames: null, "1.3.6.1.5.5.7.3.2"); // clientAuth

    private (string CertificatePem, string KeyPem) Issue(string subject, X509Extension? alternativeNames, string usage)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-30), DateTimeOffset.UtcNow.AddHours(12), serial);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
    }
}
