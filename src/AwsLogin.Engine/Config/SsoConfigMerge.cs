using System;
using System.Collections.Generic;
using System.Globalization;

namespace AwsLogin.Engine.Config;

/// <summary>
/// Computes the generated sections and merges them into an <see cref="IniDocument"/>: the rules are on
/// <see cref="SsoConfigGenerator"/>.
/// </summary>
internal sealed class SsoConfigMerge
{
    private const string ParserDefaultSection = "DEFAULT";
    private const string RegionComment = "# region =";

    private static readonly string[] s_ssoKeys = { "sso_session", "sso_account_id", "sso_role_name" };

    private readonly SsoConfigRequest _request;
    private readonly IniDocument _document;
    private readonly IEngineLog _log;
    private readonly string _where;
    private readonly string _session;

    // Profile names defined by sections this sso-session did not generate (and reserved names).
    private readonly HashSet<string> _foreignNames = new(StringComparer.Ordinal);

    // Of those, the ones AwsLogin generated for another sso-session, with that session's name.
    private readonly Dictionary<string, string> _otherSessions = new(StringComparer.Ordinal);

    // Sections this sso-session generated earlier, by profile name, and their names by marker value.
    private readonly Dictionary<string, Existing> _ours = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _oursByMarker = new(StringComparer.Ordinal);
    private readonly List<string> _oursInFileOrder = new();

    // The sections that define each profile name.
    private readonly Dictionary<string, List<string>> _sectionsByProfile = new(StringComparer.Ordinal);

    private readonly HashSet<string> _assigned = new(StringComparer.Ordinal);

    private SsoConfigMerge(SsoConfigRequest request, IniDocument document, IEngineLog log, string where)
    {
        _request = request;
        _document = document;
        _log = log;
        _where = where;
        _session = request.Session.Name;
    }

    /// <summary>Runs the merge on <paramref name="document"/>; <paramref name="where"/> names the file in messages.</summary>
    public static (SsoConfigAction SessionAction, List<SsoConfigProfile> Profiles) Run(SsoConfigRequest request, IniDocument document, IEngineLog log, string where)
    {
        SsoConfigNames.ValidateTemplate(request.NameTemplate);
        if (request.Region is not null)
        {
            SsoConfigNames.ValidateRegion(request.Region);
        }

        if (request.Output is not null)
        {
            SsoConfigNames.ValidateOutput(request.Output);
        }

        return new SsoConfigMerge(request, document, log, where).Run();
    }

    /// <summary>The marker value of an sso-session section.</summary>
    internal static string SessionMarker(string session) => "sso-session " + session;

    /// <summary>The marker value of a permission set profile.</summary>
    internal static string SsoRoleMarker(string session, string accountId, string roleName) => $"sso-role {session} {accountId} {roleName}";

    /// <summary>The marker value of a target role profile.</summary>
    internal static string TargetRoleMarker(string session, string accountId, string roleName, string targetArn) => $"target-role {session} {accountId} {roleName} {targetArn}";

    private (SsoConfigAction, List<SsoConfigProfile>) Run()
    {
        var edits = new List<IniSectionEdit>();
        var sessionAction = PlanSession(edits);
        IndexProfiles();

        var ssoItems = SsoItems();
        var targetItems = TargetItems(ssoItems, out var unassigned);
        var all = new List<Item>(ssoItems);
        all.AddRange(targetItems);
        foreach (var item in all)
        {
            KeepExistingName(item);
        }

        foreach (var item in ssoItems)
        {
            ChooseName(item);
        }

        foreach (var item in targetItems)
        {
            if (item.Source!.Skipped && !item.Source.Usable)
            {
                item.Skip($"its source profile '{item.Source.Name}' was skipped");
                _log.Warning($"No profile was written for {item.TargetArn}: its source profile '{item.Source.Name}' was skipped.");
                continue;
            }

            item.SourceProfile = item.Source.Name;
            ChooseName(item);
        }

        var produced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in all)
        {
            if (!item.Skipped)
            {
                produced.Add(item.Name!);
                item.Action = PlanProfile(item, edits);
            }
        }

        var profiles = new List<SsoConfigProfile>();
        foreach (var item in all)
        {
            profiles.Add(item.ToProfile());
        }

        profiles.AddRange(unassigned);
        foreach (var name in _oursInFileOrder)
        {
            if (!produced.Contains(name))
            {
                profiles.Add(PlanStale(name, _ours[name], edits));
            }
        }

        _document.ApplyEdits(edits);
        return (sessionAction, profiles);
    }

    private SsoConfigAction PlanSession(List<IniSectionEdit> edits)
    {
        var session = _request.Session;
        var sections = new List<string>();
        foreach (var section in _document.SectionNames)
        {
            if (section.StartsWith("sso-session", StringComparison.Ordinal) && SecondWord(section) == session.Name)
            {
                sections.Add(section);
            }
        }

        var values = new (string Key, string Value)[]
        {
            ("sso_start_url", session.StartUrl),
            ("sso_region", session.Region),
            ("sso_registration_scopes", string.Join(",", session.RegistrationScopes)),
            (SsoConfigNames.MarkerKey, SessionMarker(session.Name)),
        };
        if (sections.Count == 0)
        {
            var edit = new IniSectionEdit("sso-session " + session.Name);
            foreach (var (key, value) in values)
            {
                edit.SetValue(key, value);
            }

            edits.Add(edit);
            return SsoConfigAction.Added;
        }

        if (sections.Count == 1 && _document.GetValue(sections[0], SsoConfigNames.MarkerKey) == SessionMarker(session.Name))
        {
            var edit = new IniSectionEdit(sections[0]);
            var changed = false;
            foreach (var (key, value) in values)
            {
                edit.SetValue(key, value);
                changed |= _document.GetValue(sections[0], key) != value;
            }

            if (!changed)
            {
                return SsoConfigAction.Unchanged;
            }

            edits.Add(edit);
            return SsoConfigAction.Updated;
        }

        // A section someone else wrote: use it when it points at the same portal, never change it. As in botocore,
        // the last section of that name is the one that counts.
        var last = sections[sections.Count - 1];
        var startUrl = _document.GetValue(last, "sso_start_url");
        var region = _document.GetValue(last, "sso_region");
        if (startUrl is not null && region == session.Region && string.Equals(startUrl.TrimEnd('/'), session.StartUrl.TrimEnd('/'), StringComparison.Ordinal))
        {
            _log.Verbose($"Using the existing [{last}] section of {_where}, which AwsLogin did not write; it is left as it is.");
            return SsoConfigAction.Unchanged;
        }

        throw new AwsLoginException(
            FailureKind.InvalidConfiguration,
            "SsoSessionConflict",
            $"{_where} already has an [{last}] section with another start URL or region, which AwsLogin did not write and will not change.",
            session.Name,
            "Choose another sso-session name, or edit or remove that section.");
    }

    private void IndexProfiles()
    {
        _foreignNames.Add(ProfileStore.DefaultProfileName);
        foreach (var section in _document.SectionNames)
        {
            if (ProfileNameOf(section) is not { } name)
            {
                continue;
            }

            if (!_sectionsByProfile.TryGetValue(name, out var sections))
            {
                _sectionsByProfile[name] = sections = new List<string>();
            }

            sections.Add(section);
            if (Marker.TryParse(_document.GetValue(section, SsoConfigNames.MarkerKey), out var marker) && marker.Session == _session && !_ours.ContainsKey(name))
            {
                _ours[name] = new Existing(section, marker);
            }
            else
            {
                _foreignNames.Add(name);
                if (marker.Session is { } other && other != _session)
                {
                    _otherSessions[name] = other;
                }
            }
        }

        // A name that a section of someone else's also defines is not ours to write.
        foreach (var name in _foreignNames)
        {
            _ours.Remove(name);
        }

        foreach (var section in _document.SectionNames)
        {
            if (ProfileNameOf(section) is not { } name || !_ours.TryGetValue(name, out var existing) || existing.Section != section)
            {
                continue;
            }

            _oursInFileOrder.Add(name);
            if (!_oursByMarker.TryGetValue(existing.Marker.Value, out var names))
            {
                _oursByMarker[existing.Marker.Value] = names = new List<string>();
            }

            names.Add(name);
        }
    }

    private List<Item> SsoItems()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<Item>();
        foreach (var assignment in _request.Assignments)
        {
            if (seen.Add(assignment.AccountId + " " + assignment.RoleName))
            {
                var marker = SsoRoleMarker(_session, assignment.AccountId, assignment.RoleName);
                var baseName = BaseName(assignment.AccountName, assignment.AccountId, assignment.RoleName, assignment.AccountEmail);
                items.Add(new Item(SsoConfigProfileKind.SsoRole, marker, baseName, assignment.AccountId, assignment.AccountName, assignment.RoleName, null, _request.Region));
            }
        }

        items.Sort((a, b) =>
        {
            var byAccount = string.CompareOrdinal(a.AccountId, b.AccountId);
            return byAccount != 0 ? byAccount : string.CompareOrdinal(a.RoleName, b.RoleName);
        });
        return items;
    }

    private List<Item> TargetItems(List<Item> ssoItems, out List<SsoConfigProfile> unassigned)
    {
        var sources = new Dictionary<string, Item>(StringComparer.Ordinal);
        foreach (var item in ssoItems)
        {
            sources[item.AccountId + " " + item.RoleName] = item;
        }

        var byKey = new Dictionary<string, SsoTargetRoleProfile>(StringComparer.Ordinal);
        var items = new List<Item>();
        unassigned = new List<SsoConfigProfile>();
        foreach (var target in _request.TargetRoles ?? Array.Empty<SsoTargetRoleProfile>())
        {
            if (target is null)
            {
                throw new ArgumentException("The target roles must not contain null.", nameof(SsoConfigRequest.TargetRoles));
            }

            var key = target.SourceAccountId + " " + target.SourceRoleName + " " + target.TargetArn.Value;
            if (byKey.TryGetValue(key, out var earlier))
            {
                if (earlier.TargetAccountName == target.TargetAccountName && earlier.Region == target.Region)
                {
                    continue;
                }

                throw new AwsLoginException(
                    FailureKind.InvalidArgument,
                    "InvalidTargetRoleProfile",
                    $"The target role {target.TargetArn} from {target.SourceAccountId}/{target.SourceRoleName} is listed twice with different TargetAccountName or Region.",
                    target.TargetArn.Value,
                    "Keep one entry per source and target role.");
            }

            byKey[key] = target;
            var region = target.Region ?? _request.Region;
            var accountName = target.TargetAccountName ?? target.TargetArn.AccountId;
            if (!sources.TryGetValue(target.SourceAccountId + " " + target.SourceRoleName, out var source))
            {
                _log.Warning($"No profile was written for {target.TargetArn}: its source {target.SourceAccountId}/{target.SourceRoleName} is not among the accounts and roles being exported.");
                unassigned.Add(new SsoConfigProfile(
                    BaseName(accountName, target.TargetArn.AccountId, target.TargetArn.RoleName, null),
                    SsoConfigProfileKind.TargetRole,
                    target.SourceAccountId,
                    target.TargetAccountName,
                    target.SourceRoleName,
                    target.TargetArn.Value,
                    null,
                    region,
                    SsoConfigAction.Skipped,
                    $"its source {target.SourceAccountId}/{target.SourceRoleName} is not among the accounts and roles being exported"));
                continue;
            }

            var marker = TargetRoleMarker(_session, target.SourceAccountId, target.SourceRoleName, target.TargetArn.Value);
            var baseName = BaseName(accountName, target.TargetArn.AccountId, target.TargetArn.RoleName, null);
            items.Add(new Item(SsoConfigProfileKind.TargetRole, marker, baseName, target.SourceAccountId, target.TargetAccountName, target.SourceRoleName, target.TargetArn.Value, region) { Source = source });
        }

        items.Sort((a, b) =>
        {
            var byArn = string.CompareOrdinal(a.TargetArn, b.TargetArn);
            return byArn != 0 ? byArn : string.CompareOrdinal(a.Marker, b.Marker);
        });
        return items;
    }

    private string BaseName(string? accountName, string accountId, string roleName, string? accountEmail)
    {
        var name = SsoConfigNames.Expand(_request.NameTemplate, accountName, accountId, roleName, accountEmail, _session);
        if (name.Length > 0)
        {
            return name;
        }

        _log.Verbose($"The name template gives an empty name for {accountId}/{roleName}; using '{SsoConfigNames.FallbackTemplate}'.");
        return SsoConfigNames.Expand(SsoConfigNames.FallbackTemplate, accountName, accountId, roleName, accountEmail, _session);
    }

    // A profile generated earlier for the same account and role keeps its name while the template still gives it
    // (NAME or NAME-N), so that names do not move between accounts when others are added or removed.
    private void KeepExistingName(Item item)
    {
        if (!_oursByMarker.TryGetValue(item.Marker, out var names))
        {
            return;
        }

        string? best = null;
        var bestNumber = int.MaxValue;
        foreach (var name in names)
        {
            if (_assigned.Contains(name) || SuffixNumber(name, item.BaseName) is not { } number)
            {
                continue;
            }

            if (number < bestNumber)
            {
                best = name;
                bestNumber = number;
            }
        }

        if (best is not null)
        {
            item.Name = best;
            item.Existing = _ours[best];
            _assigned.Add(best);
        }
    }

    private void ChooseName(Item item)
    {
        if (item.Name is not null)
        {
            return;
        }

        if (item.BaseName != ProfileStore.DefaultProfileName && _foreignNames.Contains(item.BaseName))
        {
            item.Name = item.BaseName;
            if (item.Kind == SsoConfigProfileKind.SsoRole && IsEquivalent(item.BaseName, item))
            {
                // Someone wrote this very profile (aws configure sso does): use it as it is, and as a source profile.
                item.Skip("a profile with this name, account and role exists; it was left as it is", usable: true);
                _log.Verbose($"The profile '{item.BaseName}' in {_where} already signs in to {item.AccountId}/{item.RoleName}; it is left as it is.");
            }
            else if (_otherSessions.TryGetValue(item.BaseName, out var other))
            {
                item.Skip($"a profile with this name exists that AwsLogin wrote for the sso-session '{other}'; it was left as it is");
                _log.Warning($"The profile '{item.BaseName}' in {_where} was written by AwsLogin for the sso-session '{other}', so it was left as it is and {item.Describe()} got no profile. Remove that profile, export with the sso-session name '{other}', or use another name template.");
            }
            else
            {
                item.Skip("a profile with this name exists that AwsLogin did not write; it was left as it is");
                _log.Warning($"The profile '{item.BaseName}' already exists in {_where} and was not written by AwsLogin, so it was left as it is and {item.Describe()} got no profile. Rename or remove that profile, or use another name template.");
            }

            return;
        }

        var name = item.BaseName;
        for (var n = 2; _assigned.Contains(name) || _ours.ContainsKey(name) || _foreignNames.Contains(name); n++)
        {
            name = item.BaseName + "-" + n.ToString(CultureInfo.InvariantCulture);
        }

        item.Name = name;
        _assigned.Add(name);
    }

    private bool IsEquivalent(string profileName, Item item)
    {
        foreach (var section in _sectionsByProfile[profileName])
        {
            var values = _document.GetSection(section);
            var same = values.TryGetValue("sso_account_id", out var accountId) && accountId == item.AccountId
                && values.TryGetValue("sso_role_name", out var roleName) && roleName == item.RoleName
                && ((values.TryGetValue("sso_session", out var session) && session == _session)
                    || (values.TryGetValue("sso_start_url", out var startUrl) && string.Equals(startUrl.TrimEnd('/'), _request.Session.StartUrl.TrimEnd('/'), StringComparison.Ordinal)));
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    private SsoConfigAction PlanProfile(Item item, List<IniSectionEdit> edits)
    {
        var values = new List<(string Key, string? Value)>();
        if (item.Kind == SsoConfigProfileKind.TargetRole)
        {
            values.Add(("role_arn", item.TargetArn));
            values.Add(("source_profile", item.SourceProfile));
        }
        else if (_request.CredentialProcess)
        {
            values.Add(("credential_process", SsoConfigNames.CredentialProcessCommand(_session, item.AccountId, item.RoleName, _request.PowerShell)));
            foreach (var key in s_ssoKeys)
            {
                values.Add((key, null));
            }
        }
        else
        {
            values.Add(("sso_session", _session));
            values.Add(("sso_account_id", item.AccountId));
            values.Add(("sso_role_name", item.RoleName));
            values.Add(("credential_process", null));
        }

        if (item.Existing is not { } existing)
        {
            var edit = new IniSectionEdit(ProfileStore.ConfigSectionName(item.Name!));
            foreach (var (key, value) in values)
            {
                if (value is not null)
                {
                    edit.SetValue(key, value);
                }
            }

            if (item.Region is not null)
            {
                edit.SetValue("region", item.Region);
            }
            else
            {
                edit.AddComment(RegionComment);
            }

            if (_request.Output is not null)
            {
                edit.SetValue("output", _request.Output);
            }

            edit.SetValue(SsoConfigNames.MarkerKey, item.Marker);
            edits.Add(edit);
            return SsoConfigAction.Added;
        }

        // Only AwsLogin's keys change; region and output only when given (never removed: they may be the user's).
        if (item.Region is not null)
        {
            values.Add(("region", item.Region));
        }

        if (_request.Output is not null)
        {
            values.Add(("output", _request.Output));
        }

        values.Add((SsoConfigNames.MarkerKey, item.Marker));
        var update = new IniSectionEdit(existing.Section);
        var changed = false;
        foreach (var (key, value) in values)
        {
            var current = _document.GetValue(existing.Section, key);
            if (value is null)
            {
                update.RemoveKey(key);
                changed |= current is not null;
            }
            else
            {
                update.SetValue(key, value);
                changed |= current != value;
            }
        }

        if (!changed)
        {
            return SsoConfigAction.Unchanged;
        }

        edits.Add(update);
        return SsoConfigAction.Updated;
    }

    private SsoConfigProfile PlanStale(string name, Existing existing, List<IniSectionEdit> edits)
    {
        var marker = existing.Marker;
        var what = marker.TargetArn is null ? $"{marker.AccountId}/{marker.RoleName}" : $"{marker.TargetArn} from {marker.AccountId}/{marker.RoleName}";
        var reason = "this export no longer produces it (the account or role is gone, or the name template changed)";
        SsoConfigAction action;
        if (_request.Prune)
        {
            edits.Add(IniSectionEdit.RemoveSection(existing.Section));
            action = SsoConfigAction.Removed;
            _log.Verbose($"Removing the profile '{name}' ({what}): {reason}.");
        }
        else
        {
            action = SsoConfigAction.Stale;
            _log.Verbose($"The profile '{name}' ({what}) was generated earlier, but {reason}; it is kept (Prune removes it).");
        }

        return new SsoConfigProfile(
            name,
            marker.TargetArn is null ? SsoConfigProfileKind.SsoRole : SsoConfigProfileKind.TargetRole,
            marker.AccountId,
            null,
            marker.RoleName,
            marker.TargetArn,
            marker.TargetArn is null ? null : _document.GetValue(existing.Section, "source_profile"),
            _document.GetValue(existing.Section, "region"),
            action,
            action == SsoConfigAction.Stale ? reason : null);
    }

    // NAME -> 1, NAME-N (N >= 2, no leading zero) -> N, anything else -> null.
    private static int? SuffixNumber(string name, string baseName)
    {
        if (name == baseName)
        {
            return 1;
        }

        if (name.Length < baseName.Length + 2 || !name.StartsWith(baseName, StringComparison.Ordinal) || name[baseName.Length] != '-' || name[baseName.Length + 1] == '0')
        {
            return null;
        }

        var digits = name.Substring(baseName.Length + 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return null;
            }
        }

        return digits.Length <= 9 && int.Parse(digits, CultureInfo.InvariantCulture) is var number && number >= 2 ? number : null;
    }

    // The profile a config file section defines, as ProfileStore (and botocore) read it, or null.
    private static string? ProfileNameOf(string section)
    {
        if (section == ParserDefaultSection)
        {
            return null;
        }

        if (section == ProfileStore.DefaultProfileName)
        {
            return ProfileStore.DefaultProfileName;
        }

        return section.StartsWith("profile", StringComparison.Ordinal) ? SecondWord(section) : null;
    }

    private static string? SecondWord(string section)
    {
        var words = ShellWords.Split(section);
        return words is { Count: 2 } ? words[1] : null;
    }

    /// <summary>The parsed <see cref="SsoConfigNames.MarkerKey"/> value of a profile section.</summary>
    internal readonly struct Marker
    {
        private Marker(string value, string session, string accountId, string roleName, string? targetArn)
        {
            Value = value;
            Session = session;
            AccountId = accountId;
            RoleName = roleName;
            TargetArn = targetArn;
        }

        public string Value { get; }

        public string Session { get; }

        public string AccountId { get; }

        public string RoleName { get; }

        public string? TargetArn { get; }

        public static bool TryParse(string? value, out Marker marker)
        {
            marker = default;
            if (value is null)
            {
                return false;
            }

            var words = value.Split(' ');
            if (words.Length == 4 && words[0] == "sso-role")
            {
                marker = new Marker(value, words[1], words[2], words[3], null);
                return true;
            }

            if (words.Length == 5 && words[0] == "target-role")
            {
                marker = new Marker(value, words[1], words[2], words[3], words[4]);
                return true;
            }

            return false;
        }
    }

    private sealed class Existing
    {
        public Existing(string section, Marker marker)
        {
            Section = section;
            Marker = marker;
        }

        public string Section { get; }

        public Marker Marker { get; }
    }

    private sealed class Item
    {
        public Item(SsoConfigProfileKind kind, string marker, string baseName, string accountId, string? accountName, string roleName, string? targetArn, string? region)
        {
            Kind = kind;
            Marker = marker;
            BaseName = baseName;
            AccountId = accountId;
            AccountName = accountName;
            RoleName = roleName;
            TargetArn = targetArn;
            Region = region;
        }

        public SsoConfigProfileKind Kind { get; }

        public string Marker { get; }

        public string BaseName { get; }

        public string AccountId { get; }

        public string? AccountName { get; }

        public string RoleName { get; }

        public string? TargetArn { get; }

        public string? Region { get; }

        public string? Name { get; set; }

        public Existing? Existing { get; set; }

        public Item? Source { get; set; }

        public string? SourceProfile { get; set; }

        public bool Skipped { get; private set; }

        // True when a skipped SsoRole profile can still serve as a source_profile (someone wrote the same profile).
        public bool Usable { get; private set; } = true;

        public string? Reason { get; private set; }

        public SsoConfigAction Action { get; set; }

        public void Skip(string reason, bool usable = false)
        {
            Skipped = true;
            Usable = usable;
            Reason = reason;
            Action = SsoConfigAction.Skipped;
        }

        public string Describe() => TargetArn is null ? $"{AccountId}/{RoleName}" : $"{TargetArn} (from {AccountId}/{RoleName})";

        public SsoConfigProfile ToProfile() =>
            new(Name ?? BaseName, Kind, AccountId, AccountName, RoleName, TargetArn, SourceProfile, Skipped ? null : Region, Action, Reason);
    }
}
