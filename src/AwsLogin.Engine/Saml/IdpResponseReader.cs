using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Saml;

/// <summary>Reads an IdP's HTTP answer with a size limit, the same for every provider that talks HTTP to its IdP.</summary>
internal static class IdpResponseReader
{
    /// <summary>
    /// The body, at most <paramref name="limit"/> bytes. Larger: with <paramref name="failWhenLarger"/> a
    /// <see cref="SamlErrors.ResponseTooLarge"/> error (a page that is to be read), else the part read so far (an error
    /// page, read only for what it says). Transport failures become <see cref="SamlErrors.Transport"/> errors.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, int limit, bool failWhenLarger, string target, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            return failWhenLarger ? throw SamlErrors.TooLarge(target, limit) : Array.Empty<byte>();
        }

        try
        {
            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    if (failWhenLarger)
                    {
                        throw SamlErrors.TooLarge(target, limit);
                    }

                    break;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw SamlErrors.Transport(target, ex);
        }
    }
}
