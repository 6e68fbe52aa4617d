using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TusCluster.UploadService.Tests.Https;

/// <summary>A server certificate for 127.0.0.1 and localhost, as PEM text (what cert-manager writes).</summary>
/// <param name="CertificatePem">The certificate, followed by its intermediate when it has one.</param>
internal sealed record TestCertificate(string CertificatePem, string KeyPem, string Thumbprint, string? IntermediateThumbprint = null)
{
    private static readonly DateTimeOffset NotBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
    private static readonly DateTimeOffset NotAfter = DateTimeOffset.UtcNow.AddDays(1);

    /// <summary>Self-signed.</summary>
    public static TestCertificate Create(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = ServerRequest(name, key).CreateSelfSigned(NotBefore, NotAfter);
        return new TestCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), certificate.Thumbprint);
    }

    /// <summary>Issued by an intermediate CA of a root CA, like a cert-manager certificate of a public CA.</summary>
    public static TestCertificate CreateWithIntermediate(string name)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = CaRequest("CN=test root", rootKey).CreateSelfSigned(NotBefore, NotAfter);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediatePublic = CaRequest("CN=test intermediate", intermediateKey).Create(root, NotBefore, NotAfter, [1]);
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = ServerRequest(name, key).Create(intermediate, NotBefore, NotAfter, [2]);
        return new TestCertificate(
            certificate.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), certificate.Thumbprint, intermediate.Thumbprint);
    }

    private static CertificateRequest ServerRequest(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request;
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, critical: true));
        return request;
    }
}
