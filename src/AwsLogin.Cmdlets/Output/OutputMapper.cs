using System;
using AwsLogin.Engine;
using AwsLogin.Engine.Saml.LoginProfiles;
using AwsLogin.Engine.Sso;
using AwsLogin.Engine.Sts;

namespace AwsLogin;

/// <summary>Between the engine's records and the public pipeline types; internal so no public surface names the engine.</summary>
internal static class OutputMapper
{
    public static AwsCredential ToOutput(CredentialSet credentials) => new(
        credentials.AccessKeyId,
        credentials.SecretAccessKey,
        credentials.SessionToken,
        credentials.Expiration,
        credentials.AccountId,
        credentials.Arn,
        credentials.Region,
        credentials.Source,
        credentials.Origin.ToString());

    public static CredentialSet ToEngine(AwsCredential credential) =>
        new CredentialSet(credential.AccessKeyId, credential.SecretAccessKey, credential.SessionToken)
        {
            Expiration = credential.Expiration,
            AccountId = credential.AccountId,
            Arn = credential.Arn,
            Region = credential.Region,
            Source = credential.Source,
            Origin = Enum.TryParse<CredentialOrigin>(credential.Origin, out var origin) ? origin : CredentialOrigin.Temporary,
        };

    public static AwsLoginProfile ToOutput(SamlLoginProfile profile) => new(
        profile.ProfileName,
        (SamlProvider)Enum.Parse(typeof(SamlProvider), profile.Provider.ToString()),
        profile.EndpointUrl,
        profile.UserName,
        profile.RoleArn,
        profile.DurationSeconds,
        profile.Factor,
        profile.DuoFactorHeader,
        profile.DuoPasscodeHeader,
        profile.SkipCertificateCheck,
        profile.Vault,
        profile.PlainPassword is not null,
        profile.BrowserPath,
        profile.Headless,
        profile.UseDefaultCredentials,
        profile.Region,
        profile.CredentialProcess);

    public static AwsCallerIdentity ToOutput(CallerIdentity identity) => new(identity.Account, identity.Arn, identity.UserId);

    public static AwsSsoSession ToOutput(SsoSession session) => new(
        session.SessionName,
        session.StartUrl,
        session.Region,
        session.Token.AccessToken,
        session.Token.ExpiresAt,
        session.Token.CanRefreshAt(DateTime.UtcNow),
        session.Token.RegistrationExpiresAt,
        session.CacheFile,
        session.Origin.ToString());

    public static AwsSsoAccount ToOutput(SsoAccount account, SsoSession session) =>
        new(account.AccountId, account.AccountName, account.EmailAddress, session.SessionName, session.StartUrl, session.Region);

    public static AwsSsoRole ToOutput(SsoRole role, SsoSession session) =>
        new(role.AccountId, role.AccountName, role.RoleName, session.SessionName, session.StartUrl, session.Region);
    public static AwsConsoleUrl ToOutput(Engine.Console.ConsoleSignInUrl url) => new(
        url.Url,
        url.Destination.AbsoluteUri,
        url.Region,
        url.Partition.Id,
        url.SignsOutFirst,
        url.Expiration,
        url.SessionExpiration,
        url.Arn,
        url.AccountId,
        url.Source);
}
