namespace WorkFleet.Messaging.Configuration;

/// <summary>
/// TLS to the broker (amqps). Section <c>WorkFleet:Transport:RabbitMq:Tls</c>. The server's certificate is always
/// verified: its chain must end at a trusted CA (<see cref="CaCertificatePath"/>, or the system's trust store) and it
/// must name <see cref="ServerName"/>. There is no setting that accepts any certificate.
/// </summary>
public sealed class RabbitMqTlsOptions
{
    /// <summary>Connect over TLS. Default false. The broker's TLS listener is usually port 5671: set <c>Port</c> too.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The name the server's certificate must carry (a DNS name or IP address in its subject alternative names).
    /// Default: <c>WorkFleet:Transport:RabbitMq:Host</c>.
    /// </summary>
    public string? ServerName { get; set; }

    /// <summary>
    /// A PEM file with the CA certificate(s) that signed the broker's certificate (a private CA). When set, only these
    /// CAs are trusted for the broker, not the system's store. Default none: the system's trust store.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// A PEM file with this client's certificate, for a broker that requires one (mutual TLS, <c>verify_peer</c> with
    /// <c>fail_if_no_peer_cert</c>). The user still logs in with its name and password. Default none.
    /// </summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>
    /// The PEM file with the private key of <see cref="ClientCertificatePath"/> (unencrypted PKCS#8 or PKCS#1).
    /// Default: the key is in the certificate's file.
    /// </summary>
    public string? ClientKeyPath { get; set; }
}
