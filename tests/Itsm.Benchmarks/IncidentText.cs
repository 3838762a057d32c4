using System.Text;

namespace Itsm.Benchmarks;

/// <summary>
/// Short descriptions and descriptions as a service desk writes them, per category, with varying details
/// (sites, floors, applications, hosts). About one hardware ticket in four is about a printer, so
/// "text=printer" matches a few percent of all incidents, as on a real desk.
/// </summary>
public sealed class IncidentText(Random random)
{
    private static readonly Dictionary<string, string[]> Templates = new()
    {
        ["network"] =
        [
            "VPN disconnects every few minutes from home office",
            "Wi-Fi on floor {floor} in {site} is very slow",
            "Cannot reach the intranet from the {site} branch",
            "DNS lookups for internal hosts fail intermittently",
            "No network on the docking station at desk {desk}",
            "Guest Wi-Fi portal in {site} does not load",
            "Packet loss on the WAN link to {site}",
            "VPN client reports certificate error after update",
            "Video calls drop in the {site} meeting rooms",
            "Cannot connect to {host} from the office network",
        ],
        ["hardware"] =
        [
            "Printer on floor {floor} jams on every job",
            "Printer {printer} in {site} shows offline",
            "Toner empty on printer {printer}",
            "Cannot scan to email from the multifunction printer on floor {floor}",
            "Laptop does not power on after update",
            "Laptop battery drains within an hour",
            "Docking station no longer drives external monitors",
            "Headset microphone not detected in Teams",
            "Keyboard keys stuck on laptop {asset}",
            "Monitor flickers at desk {desk} in {site}",
            "New starter needs a laptop by {weekday}",
            "Mobile phone screen cracked, need a replacement",
            "Badge reader at the {site} entrance rejects badges",
            "Webcam shows a black image in video calls",
        ],
        ["software"] =
        [
            "{app} crashes when attaching receipts",
            "{app} shows error 500 when saving",
            "Excel add-in for reporting fails to load",
            "{app} is very slow since this morning",
            "Cannot install {app} from the software centre",
            "Licence expired message when starting {app}",
            "{app} export to PDF produces an empty file",
            "Browser blocks the {app} login page",
            "{app} does not open after the latest update",
            "Reports in {app} show yesterday's figures",
        ],
        ["access"] =
        [
            "Locked out of my account after password change",
            "Need access to the {share} shared drive",
            "MFA prompt never arrives on my phone",
            "Password reset link has expired",
            "New starter {person} needs an account by {weekday}",
            "Leaver {person}: disable the account",
            "Cannot open the {share} folder: access denied",
            "Need admin rights to install {app}",
            "Add me to the {share} distribution list",
            "Account disabled after returning from leave",
        ],
        ["database"] =
        [
            "Nightly ETL to the data warehouse failed",
            "Orders database response times above 5 seconds",
            "Deadlocks reported by {app} on {db}",
            "Database {db} is running out of disk space",
            "Replication lag on {db} above 10 minutes",
            "Backup of {db} did not complete",
        ],
        ["server"] =
        [
            "File server {host} is almost full",
            "Backup job for {host} reported errors",
            "{host} CPU at 100% since the last deployment",
            "Scheduled task on {host} did not run",
            "Certificate on {host} expires in 7 days",
            "{host} does not respond to ping",
            "Disk alert on {host}: volume D: above 90%",
        ],
        ["email"] =
        [
            "Emails to external partners bounce",
            "Shared calendar not updating for the {team} team",
            "Mailbox full, cannot send email",
            "Outlook keeps asking for the password",
            "Meeting invites from {app} arrive twice",
            "Phishing email reported by {person}",
            "Shared mailbox {team}@ not visible in Outlook",
        ],
        ["inquiry"] =
        [
            "How do I set up email on my new phone?",
            "Where can I find the VPN client installer?",
            "How do I book a meeting room with video?",
            "Question about the new password policy",
            "How do I request a second monitor?",
            "Who approves access to the {share} drive?",
        ],
        [""] =
        [
            "Something is wrong with my computer",
            "Urgent: cannot work",
            "Follow-up on my earlier call",
            "Error message when logging in",
        ],
    };

    private static readonly string[] Sites = ["Lyon", "Berlin", "Madrid", "Leeds", "Porto", "Milan", "Rotterdam", "Head Office"];
    private static readonly string[] Apps = ["Expense app", "CRM", "Payroll portal", "ERP", "Timesheet tool", "Intranet", "Travel booking", "HR portal", "Contract database", "BI dashboard"];
    private static readonly string[] Shares = ["finance", "HR", "legal", "marketing", "projects", "sales", "engineering", "procurement"];
    private static readonly string[] Teams = ["sales", "finance", "support", "logistics", "marketing", "legal"];
    private static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
    private static readonly string[] Databases = ["ORDERS01", "DWH", "CRMDB", "PAYROLL", "ERPPRD"];
    private static readonly string[] Channels = ["Reported by phone.", "Reported through the portal.", "Reported by email.", "Walk-in at the service desk.", "Raised from monitoring."];
    private static readonly string[] Details =
    [
        "It started this morning.", "Colleagues nearby have the same problem.", "Restarting did not help.",
        "It worked yesterday.", "This blocks my work.", "It happens several times a day.", "No error message is shown.",
        "The problem started after the latest update.", "Only happens when working from home.", "I tried another browser.",
    ];

    public static IReadOnlyCollection<string> Categories => Templates.Keys.Where(k => k.Length > 0).ToList();

    /// <summary>A short description for a ticket of the category ("" for none), at most 160 characters.</summary>
    public string ShortDescription(string category, string person)
    {
        var template = random.Pick(Templates.TryGetValue(category, out var list) ? list : Templates[""]);
        return Fill(template, person);
    }

    public string Description(string shortDescription, string person)
    {
        var sb = new StringBuilder(random.Pick(Channels)).Append(' ').Append(shortDescription).Append('.');
        var n = random.Next(1, 4);
        for (var i = 0; i < n; i++) sb.Append(' ').Append(random.Pick(Details));
        sb.Append(" Contact: ").Append(person).Append(", ext. ").Append(random.Next(2000, 9999)).Append('.');
        return sb.ToString();
    }

    private string Fill(string template, string person)
    {
        if (!template.Contains('{')) return template;
        return template
            .Replace("{floor}", random.Next(0, 8).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{site}", random.Pick(Sites))
            .Replace("{desk}", $"{(char)('A' + random.Next(6))}{random.Next(1, 60)}")
            .Replace("{printer}", $"PRN-{random.Pick(Sites)[..3].ToUpperInvariant()}-{random.Next(1, 40):00}")
            .Replace("{asset}", $"LT-{random.Next(10000, 99999)}")
            .Replace("{host}", $"srv-{random.Pick(Sites)[..3].ToLowerInvariant()}-{random.Next(1, 80):00}")
            .Replace("{app}", random.Pick(Apps))
            .Replace("{share}", random.Pick(Shares))
            .Replace("{team}", random.Pick(Teams))
            .Replace("{weekday}", random.Pick(Weekdays))
            .Replace("{db}", random.Pick(Databases))
            .Replace("{person}", person);
    }
}
