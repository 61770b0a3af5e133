using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Config;

/// <summary>
/// An IAM role reached from a permission set: <see cref="SsoConfigGenerator"/> writes a profile with
/// <c>role_arn</c> = <see cref="TargetArn"/> and <c>source_profile</c> = the profile generated for
/// <see cref="SourceAccountId"/>/<see cref="SourceRoleName"/>.
/// </summary>
public sealed class SsoTargetRoleProfile
{
    /// <summary>Validates the entry; an <see cref="AwsLoginException"/> (InvalidArgument, InvalidTargetRoleProfile) names the bad field.</summary>
    public SsoTargetRoleProfile(string sourceAccountId, string sourceRoleName, string targetArn, string? targetAccountName = null, string? region = null)
        : this(sourceAccountId, sourceRoleName, targetArn, targetAccountName, region, entry: null)
    {
    }

    private SsoTargetRoleProfile(string sourceAccountId, string sourceRoleName, string targetArn, string? targetAccountName, string? region, int? entry)
    {
        var where = entry is { } index ? $"Target role entry [{index.ToString(CultureInfo.InvariantCulture)}]" : "The target role";
        SourceAccountId = Check(() => SsoConfigNames.ValidateAccountId(sourceAccountId), where, "SourceAccountID", targetArn);
        SourceRoleName = Check(() => SsoConfigNames.ValidateRoleName(sourceRoleName), where, "SourceRoleName", targetArn);
        if (!RoleArn.TryParse(targetArn, out var arn))
        {
            throw Invalid(where, $"has a TargetArn '{targetArn}' that is not an IAM role ARN such as arn:aws:iam::123456789012:role/Name.", targetArn);
        }

        TargetArn = arn!;
        TargetAccountName = string.IsNullOrWhiteSpace(targetAccountName) ? null : targetAccountName;
        Region = region is null ? null : Check(() => SsoConfigNames.ValidateRegion(region), where, "Region", targetArn);
    }

    /// <summary>The account of the permission set the role is assumed from.</summary>
    public string SourceAccountId { get; }

    /// <summary>The permission set's role name.</summary>
    public string SourceRoleName { get; }

    /// <summary>The role to assume.</summary>
    public RoleArn TargetArn { get; }

    /// <summary>The target account's name for the name template's {AccountName}; its account id when null.</summary>
    public string? TargetAccountName { get; }

    /// <summary>The profile's region; <see cref="SsoConfigRequest.Region"/> when null.</summary>
    public string? Region { get; }

    /// <summary>
    /// Parses the JSON list: an array of objects (or one object) with SourceAccountID, SourceRoleName and TargetArn,
    /// and optional TargetAccountName and Region; names match ignoring case, other properties are ignored, comments
    /// and trailing commas are allowed. An account id may be a string or a 12-digit number. Any problem is an
    /// <see cref="AwsLoginException"/> (InvalidArgument, InvalidTargetRoleProfile) naming the entry by its index.
    /// </summary>
    public static IReadOnlyList<SsoTargetRoleProfile> ParseJson(string json)
    {
        if (json is null)
        {
            throw new ArgumentNullException(nameof(json));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw Invalid("The target role list", $"is not valid JSON (line {Number(ex.LineNumber)}, position {Number(ex.BytePositionInLine)}).", null, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var result = new List<SsoTargetRoleProfile>();
            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in root.EnumerateArray())
                    {
                        result.Add(FromJson(item, index++));
                    }

                    break;
                case JsonValueKind.Object:
                    result.Add(FromJson(root, 0));
                    break;
                default:
                    throw Invalid("The target role list", "must be a JSON array of objects with SourceAccountID, SourceRoleName, TargetArn, TargetAccountName and Region.", null);
            }

            return result;
        }
    }

    public override string ToString() => SourceAccountId + "/" + SourceRoleName + " -> " + TargetArn;

    private static SsoTargetRoleProfile FromJson(JsonElement item, int index)
    {
        var where = $"Target role entry [{index.ToString(CultureInfo.InvariantCulture)}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(where, "is not a JSON object.", null);
        }

        string? sourceAccountId = null, sourceRoleName = null, targetArn = null, targetAccountName = null, region = null;
        foreach (var property in item.EnumerateObject())
        {
            switch (property.Name.ToUpperInvariant())
            {
                case "SOURCEACCOUNTID":
                    sourceAccountId = property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetRawText() : Text(property, where);
                    break;
                case "SOURCEROLENAME":
                    sourceRoleName = Text(property, where);
                    break;
                case "TARGETARN":
                    targetArn = Text(property, where);
                    break;
                case "TARGETACCOUNTNAME":
                    targetAccountName = Text(property, where);
                    break;
                case "REGION":
                    region = Text(property, where);
                    if (string.IsNullOrEmpty(region))
                    {
                        region = null;
                    }

                    break;
            }
        }

        foreach (var (name, value) in new[] { ("SourceAccountID", sourceAccountId), ("SourceRoleName", sourceRoleName), ("TargetArn", targetArn) })
        {
            if (string.IsNullOrEmpty(value))
            {
                throw Invalid(where, $"has no {name}.", targetArn);
            }
        }

        return new SsoTargetRoleProfile(sourceAccountId!, sourceRoleName!, targetArn!, targetAccountName, region, index);
    }

    private static string? Text(JsonProperty property, string where) => property.Value.ValueKind switch
    {
        JsonValueKind.String => property.Value.GetString(),
        JsonValueKind.Null => null,
        _ => throw Invalid(where, $"has a {property.Name} that is not a string.", null),
    };

    private static string Check(Func<string> validate, string where, string field, string? target)
    {
        try
        {
            return validate();
        }
        catch (AwsLoginException ex)
        {
            throw Invalid(where, $"has an invalid {field}: {ex.Message}", target);
        }
    }

    private static string Number(long? value) => (value ?? 0).ToString(CultureInfo.InvariantCulture);

    private static AwsLoginException Invalid(string where, string problem, string? target, Exception? inner = null) =>
        new(
            FailureKind.InvalidArgument,
            "InvalidTargetRoleProfile",
            where + " " + problem,
            target ?? where,
            "Pass a JSON array of objects such as {\"SourceAccountID\": \"111111111111\", \"SourceRoleName\": \"Admin\", \"TargetArn\": \"arn:aws:iam::222222222222:role/Deploy\", \"TargetAccountName\": \"prod\", \"Region\": \"eu-west-1\"}.",
            inner);
}
