using System.Diagnostics;

namespace TusCluster.UploadService.Tests.Https;

/// <summary>
/// A directory laid out and updated the way the kubelet updates a mounted Secret: the files are
/// symlinks (tls.crt -> ..data/tls.crt), ..data is a symlink to a timestamped directory, and an
/// update writes a new directory and renames a new ..data symlink over the old one (one atomic step).
/// </summary>
internal sealed class SecretVolume : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public SecretVolume(string certificatePem, string keyPem)
    {
        Write(certificatePem, keyPem);
        File.CreateSymbolicLink(CertificateFile, "..data/tls.crt");
        File.CreateSymbolicLink(KeyFile, "..data/tls.key");
    }

    public string CertificateFile => Path.Combine(_directory.Path, "tls.crt");

    public string KeyFile => Path.Combine(_directory.Path, "tls.key");

    public void Write(string certificatePem, string keyPem)
    {
        var version = ".." + DateTime.UtcNow.ToString("yyyy_MM_dd_HH_mm_ss.fffffff", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];
        var target = Directory.CreateDirectory(Path.Combine(_directory.Path, version));
        File.WriteAllText(Path.Combine(target.FullName, "tls.crt"), certificatePem);
        File.WriteAllText(Path.Combine(target.FullName, "tls.key"), keyPem);
        var staged = Path.Combine(_directory.Path, "..data_tmp");
        Directory.CreateSymbolicLink(staged, version);

        // rename(2) of the symlink itself, as the kubelet's atomic writer does (mv -T never descends into ..data).
        using var move = Process.Start("mv", ["-Tf", staged, Path.Combine(_directory.Path, "..data")]);
        move.WaitForExit();
        Assert.Equal(0, move.ExitCode);
    }

    public void Dispose() => _directory.Dispose();
}
