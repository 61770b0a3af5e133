using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Saml;

/// <summary>
/// Asks the user to choose one of <paramref name="roles"/> (ordered by account, then role name); returns the chosen
/// role, or null when nobody can answer or the user declined.
/// </summary>
public delegate Task<SamlRole?> SamlRoleChooser(IReadOnlyList<SamlRole> roles, CancellationToken cancellationToken);

/// <summary>Which of an assertion's roles a sign-in uses: all, the named ones, the only one, or the user's choice.</summary>
public static class SamlRoleSelection
{
    /// <summary>The roles grouped by account: ordered by account id, then role name, then ARN.</summary>
    public static IReadOnlyList<SamlRole> Ordered(IEnumerable<SamlRole> roles) =>
        roles.OrderBy(role => role.AccountId, StringComparer.Ordinal)
            .ThenBy(role => role.RoleName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(role => role.RoleArn.Value, StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// With <paramref name="all"/>, every role; with <paramref name="roleArns"/>, those roles (each must be granted);
    /// with one granted role, that one; otherwise the one <paramref name="chooser"/> returns.
    /// </summary>
    public static async Task<IReadOnlyList<SamlRole>> SelectAsync(
        SamlAssertion assertion,
        IReadOnlyList<string> roleArns,
        bool all,
        SamlRoleChooser? chooser,
        string target,
        CancellationToken cancellationToken)
    {
        var granted = Ordered(assertion.Roles);
        if (all)
        {
            return granted;
        }

        if (roleArns.Count > 0)
        {
            var chosen = new List<SamlRole>();
            foreach (var text in roleArns)
            {
                var wanted = RoleArn.Parse(text);
                var match = FindGranted(granted, wanted) ?? throw SamlErrors.NotGranted(target, wanted.Value, granted);
                if (!chosen.Contains(match))
                {
                    chosen.Add(match);
                }
            }

            return chosen;
        }

        if (granted.Count == 1)
        {
            return granted;
        }

        var answer = chooser is null ? null : await chooser(granted, cancellationToken).ConfigureAwait(false);
        if (answer is null || !granted.Contains(answer))
        {
            throw SamlErrors.ChoiceRequired(target, granted);
        }

        return new[] { answer };
    }

    // IAM role names are unique without regard to case, so a differently cased ARN names the same role.
    private static SamlRole? FindGranted(IReadOnlyList<SamlRole> granted, RoleArn wanted) =>
        granted.FirstOrDefault(role => role.RoleArn.Value == wanted.Value)
        ?? granted.FirstOrDefault(role => string.Equals(role.RoleArn.Value, wanted.Value, StringComparison.OrdinalIgnoreCase));
}
