using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AwsLogin.TestServers;

/// <summary>The SSO portal: ListAccounts, ListAccountRoles, GetRoleCredentials and Logout, authorised by x-amz-sso_bearer_token.</summary>
public sealed partial class FakeIdentityCenter
{
    private Reply ListAccounts(IQueryCollection query, string? bearer, CallInfo call)
    {
        string? maxResult = query["max_result"].FirstOrDefault();
        string? nextToken = query["next_token"].FirstOrDefault();
        RecordParameters(call, ("max_result", maxResult), ("next_token", nextToken));

        lock (_gate)
        {
            SessionState session = AuthenticateBearer(bearer);
            SsoAccount[] accounts = UserAccounts(session.UserName).ToArray();
            (int offset, int size) = Page("ListAccounts", session.UserName, maxResult, nextToken);
            var list = new JsonArray();
            foreach (SsoAccount account in accounts.Skip(offset).Take(size))
            {
                list.Add(new JsonObject
                {
                    ["accountId"] = account.AccountId,
                    ["accountName"] = account.AccountName,
                    ["emailAddress"] = account.EmailAddress,
                });
            }

            var response = new JsonObject { ["accountList"] = list };
            if (offset + size < accounts.Length)
            {
                response["nextToken"] = PageToken("ListAccounts", session.UserName, offset + size);
            }

            return Reply.Json(response);
        }
    }

    private Reply ListAccountRoles(IQueryCollection query, string? bearer, CallInfo call)
    {
        string? accountId = query["account_id"].FirstOrDefault();
        string? maxResult = query["max_result"].FirstOrDefault();
        string? nextToken = query["next_token"].FirstOrDefault();
        RecordParameters(call, ("account_id", accountId), ("max_result", maxResult), ("next_token", nextToken));

        lock (_gate)
        {
            SessionState session = AuthenticateBearer(bearer);
            if (string.IsNullOrEmpty(accountId) || !AccountIdPattern().IsMatch(accountId))
            {
                throw SsoFault.PortalInvalidRequest("account_id must be a 12-digit account ID.");
            }

            // The portal does not say whether an account the user has nothing in exists.
            List<SsoRoleAssignment> roles = RolesOf(session.UserName, accountId) ?? throw SsoFault.Forbidden();
            (int offset, int size) = Page("ListAccountRoles|" + accountId, session.UserName, maxResult, nextToken);
            var list = new JsonArray();
            foreach (SsoRoleAssignment role in roles.Skip(offset).Take(size))
            {
                list.Add(new JsonObject { ["roleName"] = role.RoleName, ["accountId"] = role.AccountId });
            }

            var response = new JsonObject { ["roleList"] = list };
            if (offset + size < roles.Count)
            {
                response["nextToken"] = PageToken("ListAccountRoles|" + accountId, session.UserName, offset + size);
            }

            return Reply.Json(response);
        }
    }

    private Reply GetRoleCredentials(IQueryCollection query, string? bearer, CallInfo call)
    {
        string? accountId = query["account_id"].FirstOrDefault();
        string? roleName = query["role_name"].FirstOrDefault();
        RecordParameters(call, ("account_id", accountId), ("role_name", roleName));

        SsoRoleAssignment assignment;
        lock (_gate)
        {
            SessionState session = AuthenticateBearer(bearer);
            if (string.IsNullOrEmpty(accountId) || string.IsNullOrEmpty(roleName))
            {
                throw SsoFault.PortalInvalidRequest("account_id and role_name are required.");
            }

            assignment = RolesOf(session.UserName, accountId)?.FirstOrDefault(role => role.RoleName == roleName)
                ?? throw SsoFault.Forbidden();
        }

        // The keys become a real session in the STS fake, so a later AssumeRole or GetCallerIdentity signed with
        // them verifies (and counts as role chaining, as it does in AWS).
        DateTimeOffset expiration = WholeSeconds(TimeProvider.GetUtcNow() + assignment.SessionDuration);
        IssuedCredential issued = Sts.SeedTemporaryKey(assignment.RoleArn, assignment.UserName, expiration);
        call.IssuedAccessKeyId = issued.AccessKeyId;
        return Reply.Json(new JsonObject
        {
            ["roleCredentials"] = new JsonObject
            {
                ["accessKeyId"] = issued.AccessKeyId,
                ["secretAccessKey"] = issued.SecretAccessKey,
                ["sessionToken"] = issued.SessionToken,
                ["expiration"] = issued.Expiration.ToUnixTimeMilliseconds(),
            },
        });
    }

    private Reply Logout(string? bearer)
    {
        lock (_gate)
        {
            // Logout ends the server-side sign-in session: the access token and every other token of it.
            AuthenticateBearer(bearer).Revoked = true;
        }

        return Reply.Empty();
    }

    private SessionState AuthenticateBearer(string? bearer)
    {
        return !string.IsNullOrEmpty(bearer)
            && _accessTokens.TryGetValue(bearer, out AccessTokenState? token)
            && token.IsValid(TimeProvider.GetUtcNow())
            ? token.Session
            : throw SsoFault.Unauthorized();
    }

    private List<SsoRoleAssignment>? RolesOf(string userName, string accountId) =>
        _assignments.TryGetValue(userName, out Dictionary<string, List<SsoRoleAssignment>>? byAccount)
            && byAccount.TryGetValue(accountId, out List<SsoRoleAssignment>? roles) && roles.Count > 0
            ? roles
            : null;

    private (int Offset, int Size) Page(string listing, string userName, string? maxResult, string? nextToken)
    {
        int size = PageSize;
        if (maxResult is not null)
        {
            if (!int.TryParse(maxResult, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 100)
            {
                throw SsoFault.PortalInvalidRequest("max_result must be between 1 and 100.");
            }
        }

        size = Math.Min(size, MaxPageSize);
        if (nextToken is null)
        {
            return (0, size);
        }

        // Page tokens are opaque and bound to the listing and the user; anything else is rejected.
        string[] parts = nextToken.Split('.');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int offset)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[1]), Encoding.ASCII.GetBytes(PageMac(listing, userName, offset))))
        {
            return (offset, size);
        }

        throw SsoFault.PortalInvalidRequest("Invalid next_token.");
    }

    private string PageToken(string listing, string userName, int offset) =>
        offset.ToString(CultureInfo.InvariantCulture) + "." + PageMac(listing, userName, offset);

    private string PageMac(string listing, string userName, int offset) =>
        Base64Url(HMACSHA256.HashData(_pageKey, Encoding.UTF8.GetBytes($"{listing}|{userName}|{offset}")));
}
