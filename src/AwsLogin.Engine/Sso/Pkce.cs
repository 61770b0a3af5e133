using System;
using System.Security.Cryptography;
using System.Text;

namespace AwsLogin.Engine.Sso;

/// <summary>
/// Proof Key for Code Exchange (RFC 7636) with the S256 method, as the AWS CLI makes it: a 64-character verifier
/// from the unreserved characters, and its challenge, the unpadded base64url SHA-256 of the verifier.
/// </summary>
internal sealed class Pkce
{
    private const string VerifierAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private const int VerifierLength = 64;

    private Pkce(string verifier)
    {
        Verifier = verifier;
        Challenge = ChallengeFor(verifier);
    }

    /// <summary>The code_verifier sent with CreateToken (secret until used).</summary>
    public string Verifier { get; }

    /// <summary>The code_challenge sent in the authorize URL.</summary>
    public string Challenge { get; }

    /// <summary>The challenge method.</summary>
    public static string Method => "S256";

    /// <summary>A new verifier from a cryptographic random source.</summary>
    public static Pkce Create() => new(RandomString(VerifierAlphabet, VerifierLength));

    /// <summary>A verifier given by a test.</summary>
    internal static Pkce FromVerifier(string verifier) => new(verifier);

    /// <summary>BASE64URL(SHA256(ASCII(verifier))) without padding.</summary>
    public static string ChallengeFor(string verifier)
    {
        using var sha = SHA256.Create();
        return Base64Url(sha.ComputeHash(Encoding.ASCII.GetBytes(verifier)));
    }

    /// <summary>A random anti-forgery state: a UUID, as the AWS CLI sends.</summary>
    public static string NewState() => Guid.NewGuid().ToString();

    internal static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // Rejection sampling, so every character is equally likely.
    private static string RandomString(string alphabet, int length)
    {
        var builder = new StringBuilder(length);
        var buffer = new byte[length * 2];
        var limit = 256 - (256 % alphabet.Length);
        using var random = RandomNumberGenerator.Create();
        while (builder.Length < length)
        {
            random.GetBytes(buffer);
            foreach (var b in buffer)
            {
                if (b < limit && builder.Length < length)
                {
                    builder.Append(alphabet[b % alphabet.Length]);
                }
            }
        }

        return builder.ToString();
    }
}
