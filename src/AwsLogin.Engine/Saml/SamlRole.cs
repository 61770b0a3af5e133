using System;
using System.Text.RegularExpressions;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Saml;

/// <summary>
/// One AWS role a SAML assertion grants: a value of the https://aws.amazon.com/SAML/Attributes/Role attribute,
/// "roleArn,principalArn" in either order, where the principal is the IAM SAML provider that trusts the IdP.
/// </summary>
public sealed class SamlRole : IEquatable<SamlRole>
{
    // IAM SAML provider names are 1-128 of [\w._-]; spelled out in ASCII, as in RoleArn.
    private static readonly Regex s_providerPattern = new(
        @"^arn:(?<partition>aws|aws-us-gov|aws-cn):iam::(?<account>[0-9]{12}):saml-provider/[A-Za-z0-9_.-]{1,128}$",
        RegexOptions.CultureInvariant);

    public SamlRole(RoleArn roleArn, string principalArn)
    {
        if (!IsProviderArn(principalArn))
        {
            throw new ArgumentException("Not a SAML provider ARN.", nameof(principalArn));
        }

        RoleArn = roleArn;
        PrincipalArn = principalArn;
    }

    /// <summary>The role to assume.</summary>
    public RoleArn RoleArn { get; }

    /// <summary>The IAM SAML provider ARN (arn:aws:iam::ACCOUNT:saml-provider/NAME) that AssumeRoleWithSAML names as PrincipalArn.</summary>
    public string PrincipalArn { get; }

    /// <summary>The role's account.</summary>
    public string AccountId => RoleArn.AccountId;

    /// <summary>The role's name (without its path).</summary>
    public string RoleName => RoleArn.RoleName;

    /// <summary>True for an IAM SAML provider ARN.</summary>
    public static bool IsProviderArn(string? text) => text is not null && s_providerPattern.IsMatch(text);

    /// <summary>
    /// Parses one Role attribute value: two comma-separated ARNs, a role and a SAML provider, in either order, with
    /// whitespace (also line breaks) around either tolerated. False for anything else.
    /// </summary>
    public static bool TryParse(string? value, out SamlRole? role)
    {
        role = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var parts = value!.Split(',');
        if (parts.Length != 2)
        {
            return false;
        }

        var first = parts[0].Trim();
        var second = parts[1].Trim();
        if (RoleArn.TryParse(first, out var roleArn) && IsProviderArn(second))
        {
            role = new SamlRole(roleArn!, second);
            return true;
        }

        if (RoleArn.TryParse(second, out roleArn) && IsProviderArn(first))
        {
            role = new SamlRole(roleArn!, first);
            return true;
        }

        return false;
    }

    public bool Equals(SamlRole? other) =>
        other is not null && other.RoleArn.Value == RoleArn.Value && other.PrincipalArn == PrincipalArn;

    public override bool Equals(object? obj) => Equals(obj as SamlRole);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(RoleArn.Value) ^ StringComparer.Ordinal.GetHashCode(PrincipalArn);

    public override string ToString() => RoleArn.Value;
}
