using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AwsLogin.TestServers;

/// <summary>
/// A Kestrel server on 127.0.0.1 with a random port that hands every request to one delegate.
/// The fakes build on it; once stopped, connections to the port are refused.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    private LoopbackServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>The root address, with a trailing slash, e.g. http://127.0.0.1:50123/.</summary>
    public Uri BaseUri { get; }

    /// <summary>A request body, or null when it is larger than <paramref name="maxBytes"/> (the fake answers 413-style).</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static Task<LoopbackServer> StartAsync(RequestDelegate handler, CancellationToken cancellationToken = default, bool webSockets = false) =>
        StartAsync(handler, serverCertificate: null, cancellationToken, webSockets);

    /// <summary>Starts the server; with <paramref name="serverCertificate"/>, it speaks https with that certificate.</summary>
    public static async Task<LoopbackServer> StartAsync(RequestDelegate handler, X509Certificate2? serverCertificate, CancellationToken cancellationToken = default, bool webSockets = false)
    {
        ArgumentNullException.ThrowIfNull(handler);

        // The empty builder reads no configuration, environment variables or logging providers, so
        // ASPNETCORE_* settings on the test machine cannot change where or how the fake listens.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (serverCertificate is not null)
            {
                listen.UseHttps(serverCertificate);
            }
        }));
        WebApplication app = builder.Build();
        if (webSockets)
        {
            app.UseWebSockets();
        }

        app.Run(handler);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        string address = app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new LoopbackServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>
    /// A self-signed TLS server certificate for 127.0.0.1 and localhost, valid for a day either side of now. No machine
    /// trusts it, so clients that check certificates refuse it.
    /// </summary>
    public static X509Certificate2 CreateSelfSignedServerCertificate(string subjectName = "CN=127.0.0.1")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subjectName, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // Windows' TLS stack needs the key in a key store, not ephemeral: a PFX round trip puts it there.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), password: null);
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
