using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Itsm.Infrastructure.Seeding;

/// <summary>The shapes of the files under seed-data/, read with YamlDotNet.</summary>
public static class SeedFiles
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static T Read<T>(string path) => Yaml.Deserialize<T>(File.ReadAllText(path));

    public sealed class Assignment
    {
        public List<GroupRow> Groups { get; set; } = [];
        public List<CategoryRow> Categories { get; set; } = [];
    }

    public sealed class GroupRow
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
    }

    public sealed class CategoryRow
    {
        public string Code { get; set; } = "";
        public string Label { get; set; } = "";
        public string? Group { get; set; }
    }

    public sealed class UserFile
    {
        public List<UserRow> Users { get; set; } = [];
    }

    public sealed class UserRow
    {
        public string UserName { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public List<string> Roles { get; set; } = [];
        public List<string> Groups { get; set; } = [];
    }

    public sealed class Incidents
    {
        public int Count { get; set; } = 200;
        public int Days { get; set; } = 90;
        public List<Template> Templates { get; set; } = [];
        public List<string> Comments { get; set; } = [];
        public List<string> WorkNotes { get; set; } = [];
        public List<Resolution> Resolutions { get; set; } = [];
    }

    public sealed class Template
    {
        public string Category { get; set; } = "";
        public string Text { get; set; } = "";
        public int Impact { get; set; } = 3;
        public int Urgency { get; set; } = 3;
    }

    public sealed class Resolution
    {
        public string Code { get; set; } = "";
        public string Notes { get; set; } = "";
    }

    public sealed class ProblemFile
    {
        public List<ProblemRow> Problems { get; set; } = [];
    }

    /// <summary>A demo problem and where it has got to (seed-data/demo/problems.yaml explains the keys).</summary>
    public sealed class ProblemRow
    {
        public string Text { get; set; } = "";
        public string? Description { get; set; }
        public string? Category { get; set; }
        public int Impact { get; set; } = 3;
        public int Urgency { get; set; } = 3;
        public string State { get; set; } = "new";
        public int DaysAgo { get; set; } = 30;
        public string RaisedBy { get; set; } = "problemmanager";
        public string? IncidentText { get; set; }
        public int Incidents { get; set; }
        public int OnHold { get; set; }
        public string? RootCause { get; set; }
        public string? Workaround { get; set; }
        public bool KnownError { get; set; }
        public string? ResolutionCode { get; set; }
        public string? ResolutionNotes { get; set; }
        public string? CancelReason { get; set; }
    }
}
