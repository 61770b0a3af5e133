using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace AwsLogin.TestServers;

// The STS actions. Each validates its parameters as the API model does, then applies the rules STS enforces.
public sealed partial class FakeSts
{
    private const int ChainedSessionLimit = 3600;
    private const int DefaultRoleSession = 3600;
    private const string InvalidArn = "Request ARN is invalid";

    private ActionResult AssumeRole(StsKey caller, StsParameters parameters)
    {
        string roleArn = parameters.Required("RoleArn", 20, 2048);
        StsArns.Parsed role = StsArns.Role(roleArn) ?? throw StsFault.Validation(InvalidArn);
        string sessionName = parameters.Required("RoleSessionName", 2, 64, StsParameters.SessionNamePattern());
        int? duration = parameters.Duration(900, 43200);
        string? externalId = parameters.Optional("ExternalId", 2, 1224, StsParameters.ExternalIdPattern());
        string? serialNumber = parameters.Optional("SerialNumber", 9, 256, StsParameters.SerialNumberPattern());
        string? tokenCode = parameters.Optional("TokenCode", 6, 6, StsParameters.TokenCodePattern());
        string? policy = parameters.Policy();

        RoleSettings settings = SettingsFor(roleArn);
        bool mfa = VerifyMfa(caller, serialNumber, tokenCode) || caller.MfaAuthenticated;

        // Federation tokens may call no STS action but GetCallerIdentity.
        if (caller.Principal.Kind == PrincipalKind.FederatedUser
            || !settings.Trusts(caller.Principal)
            || (settings.ExternalId is not null && settings.ExternalId != externalId)
            || (settings.RequireMfa && !mfa))
        {
            throw StsFault.AccessDenied($"User: {caller.Principal.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        }

        // A session of one role assuming another is role chaining, which AWS caps at one hour.
        bool chained = caller.Principal.Kind == PrincipalKind.AssumedRole;
        int seconds = duration ?? DefaultRoleSession;
        if (chained && seconds > ChainedSessionLimit)
        {
            throw StsFault.Validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }

        if (seconds > settings.MaxSessionDuration)
        {
            throw StsFault.Validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }

        Principal principal = AssumedRole(role, roleArn, sessionName);
        StsKey issued = Issue(principal, seconds, null, "AssumeRole", caller.AccessKeyId, mfa, chained);
        return new ActionResult(
        [
            AssumedRoleUser(principal),
            CredentialsElement(issued),
            PackedPolicySize(policy),
        ], issued);
    }

    private ActionResult GetSessionToken(StsKey caller, StsParameters parameters)
    {
        int seconds = parameters.Duration(900, 129600) ?? 43200;
        string? serialNumber = parameters.Optional("SerialNumber", 9, 256, StsParameters.SerialNumberPattern());
        string? tokenCode = parameters.Optional("TokenCode", 6, 6, StsParameters.TokenCodePattern());
        if (caller.SessionToken is not null)
        {
            throw StsFault.AccessDenied("Cannot call GetSessionToken with session credentials");
        }

        bool mfa = VerifyMfa(caller, serialNumber, tokenCode);

        // The session acts as the user itself: GetCallerIdentity answers with the user's ARN.
        StsKey issued = Issue(caller.Principal, seconds, null, "GetSessionToken", caller.AccessKeyId, mfa, false);
        return new ActionResult([CredentialsElement(issued)], issued);
    }

    private ActionResult GetFederationToken(StsKey caller, StsParameters parameters)
    {
        string name = parameters.Required("Name", 2, 32, StsParameters.SessionNamePattern());
        string? policy = parameters.Policy();
        int seconds = parameters.Duration(900, 129600) ?? 43200;
        if (caller.SessionToken is not null)
        {
            throw StsFault.AccessDenied("Cannot call GetFederationToken with session credentials");
        }

        Principal user = caller.Principal;
        var principal = new Principal(PrincipalKind.FederatedUser, user.Partition, user.AccountId,
            $"arn:{user.Partition}:sts::{user.AccountId}:federated-user/{name}", $"{user.AccountId}:{name}",
            UserArn: null, RoleArn: null);
        StsKey issued = Issue(principal, seconds, null, "GetFederationToken", caller.AccessKeyId, false, false);
        return new ActionResult(
        [
            CredentialsElement(issued),
            StsXml.E("FederatedUser",
                StsXml.E("FederatedUserId", principal.UserId),
                StsXml.E("Arn", principal.Arn)),
            PackedPolicySize(policy),
        ], issued);
    }

    private static ActionResult GetCallerIdentity(StsKey caller) =>
        new(
        [
            StsXml.E("UserId", caller.Principal.UserId),
            StsXml.E("Account", caller.Principal.AccountId),
            StsXml.E("Arn", caller.Principal.Arn),
        ], null);

    private ActionResult AssumeRoleWithSaml(StsParameters parameters)
    {
        string roleArn = parameters.Required("RoleArn", 20, 2048);
        StsArns.Parsed role = StsArns.Role(roleArn) ?? throw StsFault.Validation(InvalidArn);
        string principalArn = parameters.Required("PrincipalArn", 20, 2048);
        StsArns.Parsed provider = StsArns.SamlProvider(principalArn) ?? throw StsFault.Validation(InvalidArn);
        string assertion = parameters.Required("SAMLAssertion", 4, 100000, sensitive: true);
        int? duration = parameters.Duration(900, 43200);
        string? policy = parameters.Policy();

        SamlProviderRegistration registration;
        lock (_gate)
        {
            registration = _samlProviders.GetValueOrDefault(principalArn)
                ?? throw StsFault.InvalidIdentityToken("Specified provider doesn't exist");
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        SamlAssertionData saml = SamlResponseValidator.Validate(assertion, registration.Certificate, registration.Issuer, now);

        // The trust policy of a SAML role names a provider of the role's own account.
        RoleSettings settings = SettingsFor(roleArn);
        if (!saml.Roles.Any(value => IsRolePair(value, roleArn, principalArn))
            || role.AccountId != provider.AccountId
            || !settings.Trusts(principalArn))
        {
            throw StsFault.AccessDenied("Not authorized to perform sts:AssumeRoleWithSAML");
        }

        string sessionName = saml.RoleSessionName
            ?? throw StsFault.InvalidIdentityToken("RoleSessionName is required in AuthnResponse");
        if (sessionName.Length is < 2 or > 64 || !StsParameters.SessionNamePattern().IsMatch(sessionName))
        {
            throw StsFault.InvalidIdentityToken("RoleSessionName in AuthnResponse must satisfy [\\w+=,.@-]{2,64}");
        }

        int seconds = duration ?? DefaultRoleSession;
        if (seconds > settings.MaxSessionDuration)
        {
            throw StsFault.Validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }

        // The session ends at DurationSeconds or at the assertion's SessionNotOnOrAfter, whichever comes first.
        Principal principal = AssumedRole(role, roleArn, sessionName);
        StsKey issued = Issue(principal, seconds, saml.SessionNotOnOrAfter, "AssumeRoleWithSAML", null, false, false);
        return new ActionResult(
        [
            StsXml.E("Audience", saml.Recipient),
            AssumedRoleUser(principal),
            CredentialsElement(issued),
            StsXml.E("Issuer", saml.Issuer),
            StsXml.E("NameQualifier", NameQualifier(saml.Issuer, provider)),
            PackedPolicySize(policy),
            StsXml.E("Subject", saml.Subject),
            StsXml.E("SubjectType", SubjectType(saml.SubjectFormat)),
        ], issued);
    }

    private RoleSettings SettingsFor(string roleArn)
    {
        lock (_gate)
        {
            return _roles.GetValueOrDefault(roleArn) ?? RoleSettings.Default;
        }
    }

    /// <summary>True when the pair was given and is valid; false when no MFA was given; throws when it is wrong.</summary>
    private bool VerifyMfa(StsKey caller, string? serialNumber, string? tokenCode)
    {
        if (serialNumber is null && tokenCode is null)
        {
            return false;
        }

        if (serialNumber is null || tokenCode is null)
        {
            throw StsFault.MfaFailed();
        }

        lock (_gate)
        {
            MfaDevice? device = _mfaDevices.GetValueOrDefault(serialNumber);
            string? userArn = caller.Principal.UserArn;
            if (device is null || (userArn is not null && device.UserArn != userArn))
            {
                throw StsFault.AccessDenied("MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.");
            }

            if (!FixedTimeEquals(device.Code, tokenCode) || (RejectReusedMfaCodes && device.LastUsedCode == tokenCode))
            {
                throw StsFault.MfaFailed();
            }

            device.LastUsedCode = tokenCode;
            return true;
        }
    }

    private static object AssumedRoleUser(Principal principal) =>
        StsXml.E("AssumedRoleUser",
            StsXml.E("AssumedRoleId", principal.UserId),
            StsXml.E("Arn", principal.Arn));

    // STS reports the packed policy size as a percentage of the allowed maximum.
    private static object? PackedPolicySize(string? policy) =>
        policy is null ? null : StsXml.E("PackedPolicySize", Math.Max(1, policy.Length * 100 / 2048).ToString(CultureInfo.InvariantCulture));

    // Each Role attribute value is "roleArn,principalArn" in either order.
    private static bool IsRolePair(string value, string roleArn, string principalArn)
    {
        string[] parts = value.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && ((parts[0] == roleArn && parts[1] == principalArn) || (parts[0] == principalArn && parts[1] == roleArn));
    }

    // AWS documents NameQualifier as BASE64(SHA1(issuer + account ID + "/" + provider name)).
    private static string NameQualifier(string issuer, StsArns.Parsed provider) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(issuer + provider.AccountId + "/" + provider.Name)));

    // AWS drops the SAML 2.0 name-ID format prefix (".../nameid-format:transient" becomes "transient").
    private static string SubjectType(string? format)
    {
        const string Prefix = "urn:oasis:names:tc:SAML:2.0:nameid-format:";
        return format is null ? "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
            : format.StartsWith(Prefix, StringComparison.Ordinal) ? format[Prefix.Length..]
            : format;
    }
}
