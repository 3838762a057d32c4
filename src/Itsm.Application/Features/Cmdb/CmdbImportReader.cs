using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Itsm.Domain.Common;

namespace Itsm.Application.Features.Cmdb;

/// <summary>One CI row of an import, as read (docs/cmdb-import-format.md). <see cref="Problem"/>: why it could not even be read.</summary>
public sealed record CmdbImportCi(int Row, string? Key, string? Class, CiInput Values)
{
    public (string Field, string Message)? Problem { get; init; }
}

/// <summary>One relationship row: "source &lt;type&gt; target", each end a key of the import's source or <c>#id</c>.</summary>
public sealed record CmdbImportRelationship(int Row, string? Source, string? Type, string? Target)
{
    public (string Field, string Message)? Problem { get; init; }
}

/// <summary>What a CSV file holds: one kind of row per file.</summary>
public enum CmdbImportRows { Cis, Relationships }

/// <summary>
/// Reads an import document (JSON or CSV) into <see cref="ImportCmdb"/>, for the API, the page, the command line and the
/// demo seeder alike. A document that cannot be read as a whole is a 400 (<see cref="FieldValidationException"/> on
/// "body"); a row that cannot be read is kept with its <c>Problem</c>, so it is reported as rejected and the rest goes on.
/// </summary>
public static class CmdbImportReader
{
    public const long MaxBytes = 100L * 1024 * 1024;
    public const int MaxText = 8000;

    private static readonly string[] DocumentFields = ["source", "reason", "changeNumber", "cis", "relationships"];
    private static readonly string[] CiFields =
        ["key", "class", "name", "status", "environment", "criticality", "ownerGroup", "supportGroup", "restricted", "redundancy", "attributes"];
    private static readonly string[] RelationshipFields = ["source", "type", "target"];

    /// <summary>
    /// Reads a JSON document. <paramref name="source"/> and <paramref name="reason"/> (query parameters) fill in what the
    /// document leaves out; a source given both ways must be the same.
    /// </summary>
    public static async Task<ImportCmdb> ReadJsonAsync(Stream body, string? source, string? reason, CancellationToken ct)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(new LimitedStream(body), new JsonDocumentOptions { MaxDepth = 16 }, ct);
        }
        catch (JsonException e)
        {
            throw Body($"Malformed JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Body("The body must be a JSON object with \"source\", \"cis\" and \"relationships\".");
            try
            {
                var errors = new Dictionary<string, string[]>();
                foreach (var p in root.EnumerateObject())
                    if (!DocumentFields.Contains(p.Name)) errors[p.Name] = [$"'{p.Name}' is not a known field. Known: {string.Join(", ", DocumentFields)}."];
                string? Text(string name)
                {
                    if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
                    if (v.ValueKind == JsonValueKind.String && v.GetString() is { } s && Clean(s, 1000) is null) return s;
                    errors[name] = ["Must be a string of at most 1000 characters, without control characters."];
                    return null;
                }
                var docSource = Text("source");
                var docReason = Text("reason");
                var changeNumber = Text("changeNumber");
                if (!string.IsNullOrWhiteSpace(source) && !string.IsNullOrWhiteSpace(docSource) && !string.Equals(source.Trim(), docSource.Trim(), StringComparison.Ordinal))
                    errors["source"] = [$"The document says source '{docSource}', the request '{source}': give one."];
                var cis = Array(root, "cis", errors);
                var relationships = Array(root, "relationships", errors);
                if (errors.Count > 0) throw new FieldValidationException(errors);
                return new ImportCmdb(string.IsNullOrWhiteSpace(docSource) ? source : docSource, docReason ?? reason, changeNumber,
                    cis.Select((e, i) => CiRow(i + 1, e)).ToList(), relationships.Select((e, i) => RelationshipRow(i + 1, e)).ToList());
            }
            catch (InvalidOperationException)
            {
                // A lone surrogate escape (\ud800) in a field name or a document-level string.
                throw Body("The body contains an invalid Unicode escape (a lone surrogate such as \\ud800).");
            }
        }
    }

    private static List<JsonElement> Array(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind != JsonValueKind.Array) { errors[name] = ["Must be an array of objects."]; return []; }
        if (v.GetArrayLength() > ImportCmdb.MaxRows) { errors[name] = [$"At most {ImportCmdb.MaxRows} rows per import: split the file."]; return []; }
        return v.EnumerateArray().ToList();
    }

    private static CmdbImportCi CiRow(int row, JsonElement e)
    {
        var empty = new CiInput();
        if (e.ValueKind != JsonValueKind.Object) return new CmdbImportCi(row, null, null, empty) { Problem = ("row", "A CI row must be a JSON object.") };
        try
        {
            (string, string)? problem = null;
            void Fail(string field, string message) => problem ??= (field, message);
            foreach (var p in e.EnumerateObject())
                if (!CiFields.Contains(p.Name)) Fail(p.Name, $"'{p.Name}' is not a CI field. Fields: {string.Join(", ", CiFields)}.");
            string? Text(string name)
            {
                if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
                if (v.ValueKind != JsonValueKind.String) { Fail(name, "Must be a string."); return null; }
                var s = v.GetString()!;
                if (Clean(s, MaxText) is { } why) { Fail(name, why); return null; }
                return s;
            }
            int? criticality = null;
            if (e.TryGetProperty("criticality", out var c) && c.ValueKind != JsonValueKind.Null)
            {
                if (c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) && n is >= 1 and <= 4) criticality = n;
                else Fail("criticality", "Criticality must be 1 (highest), 2, 3 or 4.");
            }
            bool? restricted = null;
            if (e.TryGetProperty("restricted", out var rv) && rv.ValueKind != JsonValueKind.Null)
            {
                if (rv.ValueKind is JsonValueKind.True or JsonValueKind.False) restricted = rv.GetBoolean();
                else Fail("restricted", "Must be true or false.");
            }
            var attributes = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (e.TryGetProperty("attributes", out var a) && a.ValueKind != JsonValueKind.Null)
            {
                if (a.ValueKind != JsonValueKind.Object) Fail("attributes", "Must be an object of attribute values.");
                else
                    foreach (var p in a.EnumerateObject())
                    {
                        // Discovery tools write numbers and booleans as such: stored as text in their one spelling.
                        string? value = p.Value.ValueKind switch
                        {
                            JsonValueKind.String => p.Value.GetString(),
                            JsonValueKind.Number => p.Value.GetRawText(),
                            JsonValueKind.True => "true",
                            JsonValueKind.False => "false",
                            JsonValueKind.Null => null,
                            _ => "\0",
                        };
                        if (value == "\0") Fail($"attributes.{p.Name}", "Must be a string, a number or true/false.");
                        else if (Clean(p.Name, 100) is not null) Fail($"attributes.{p.Name}", "Not an attribute name.");
                        else if (value is not null && Clean(value, MaxText) is { } why) Fail($"attributes.{p.Name}", why);
                        else if (!attributes.TryAdd(p.Name, value)) Fail($"attributes.{p.Name}", "The attribute is given twice.");
                    }
            }
            var values = new CiInput
            {
                Name = Text("name"), Status = Text("status"), Environment = Text("environment"), Criticality = criticality,
                OwnerGroup = Text("ownerGroup"), SupportGroup = Text("supportGroup"), Restricted = restricted,
                Redundancy = Text("redundancy"), Attributes = attributes,
            };
            return new CmdbImportCi(row, Key(Text("key"), Fail), Text("class"), values) { Problem = problem };
        }
        catch (InvalidOperationException)
        {
            return new CmdbImportCi(row, null, null, empty) { Problem = ("row", "The row contains an invalid Unicode escape (a lone surrogate).") };
        }
    }

    private static CmdbImportRelationship RelationshipRow(int row, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return new CmdbImportRelationship(row, null, null, null) { Problem = ("row", "A relationship row must be a JSON object.") };
        try
        {
            (string, string)? problem = null;
            foreach (var p in e.EnumerateObject())
                if (!RelationshipFields.Contains(p.Name)) problem ??= (p.Name, $"'{p.Name}' is not a relationship field. Fields: source, type, target.");
            string? Text(string name)
            {
                if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
                if (v.ValueKind == JsonValueKind.String && v.GetString() is { } s && Clean(s, 255) is null) return s;
                problem ??= (name, "Must be a CI key or #id (a string of at most 255 characters).");
                return null;
            }
            return new CmdbImportRelationship(row, Text("source"), Text("type"), Text("target")) { Problem = problem };
        }
        catch (InvalidOperationException)
        {
            return new CmdbImportRelationship(row, null, null, null) { Problem = ("row", "The row contains an invalid Unicode escape (a lone surrogate).") };
        }
    }

    /// <summary>
    /// Reads a CSV file of one kind of row: CIs (<c>key,class,name,…</c> and one <c>attr:&lt;name&gt;</c> column per
    /// attribute) or relationships (<c>source,type,target</c>). An empty cell is a value not given.
    /// </summary>
    public static async Task<ImportCmdb> ReadCsvAsync(Stream body, CmdbImportRows rows, string? source, string? reason, string? changeNumber, CancellationToken ct)
    {
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrimWhitespace = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MaxRecordSize = 1024 * 1024,
            TrackLineNumbers = true,
        };
        var cis = new List<CmdbImportCi>();
        var relationships = new List<CmdbImportRelationship>();
        await using var csv = CsvReader.Create(new LimitedStream(body), options, true);
        try
        {
            await csv.ReadHeaderAsync(ct);
            var header = csv.Headers.Select(h => h.Trim()).ToArray();
            if (header.Length == 0 || header.All(h => h.Length == 0)) throw Body("The CSV file is empty: it needs a header row.");
            CheckHeader(header, rows);
            while (await csv.ReadAsync(ct))
            {
                var row = (int)csv.LineNumber;
                if (cis.Count + relationships.Count >= ImportCmdb.MaxRows) throw Body($"At most {ImportCmdb.MaxRows} rows per import: split the file.");
                var count = csv.FieldCount;
                (string, string)? problem = count == header.Length ? null : ("row", $"The row has {count} fields, the header {header.Length}.");
                string? Cell(string column)
                {
                    var i = System.Array.IndexOf(header, column);
                    if (i < 0 || i >= count) return null;
                    var value = csv.GetString(i);
                    if (string.IsNullOrEmpty(value)) return null;
                    if (Clean(value, MaxText) is { } why) { problem ??= (column, why); return null; }
                    return value;
                }
                if (rows == CmdbImportRows.Relationships)
                {
                    relationships.Add(new CmdbImportRelationship(row, Cell("source"), Cell("type"), Cell("target")) { Problem = problem });
                    continue;
                }
                int? criticality = null;
                if (Cell("criticality") is { } cr)
                {
                    if (int.TryParse(cr, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4) criticality = n;
                    else problem ??= ("criticality", "Criticality must be 1 (highest), 2, 3 or 4.");
                }
                bool? restricted = null;
                if (Cell("restricted") is { } rs)
                {
                    if (bool.TryParse(rs, out var b)) restricted = b;
                    else problem ??= ("restricted", "Must be true or false.");
                }
                var attributes = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                foreach (var column in header.Where(h => h.StartsWith(ConfigurationItemAttributePrefix, StringComparison.Ordinal)))
                    if (Cell(column) is { } value) attributes[column[ConfigurationItemAttributePrefix.Length..]] = value;
                var values = new CiInput
                {
                    Name = Cell("name"), Status = Cell("status"), Environment = Cell("environment"), Criticality = criticality,
                    OwnerGroup = Cell("ownerGroup"), SupportGroup = Cell("supportGroup"), Restricted = restricted,
                    Redundancy = Cell("redundancy"), Attributes = attributes,
                };
                cis.Add(new CmdbImportCi(row, Key(Cell("key"), (f, m) => problem ??= (f, m)), Cell("class"), values) { Problem = problem });
            }
        }
        catch (CsvFormatException e)
        {
            throw Body($"Malformed CSV{(e.LineNumber > 0 ? $" on line {e.LineNumber}" : "")}: {FirstLine(e.Message)}");
        }
        return new ImportCmdb(source, reason, changeNumber, cis, relationships);
    }

    private const string ConfigurationItemAttributePrefix = Domain.Cmdb.ConfigurationItem.AttributePrefix;

    private static void CheckHeader(string[] header, CmdbImportRows rows)
    {
        var known = rows == CmdbImportRows.Cis ? CiFields.Where(f => f != "attributes").ToArray() : RelationshipFields;
        var errors = new List<string>();
        foreach (var h in header)
            if (!known.Contains(h) && !(rows == CmdbImportRows.Cis && h.StartsWith(ConfigurationItemAttributePrefix, StringComparison.Ordinal) && h.Length > 5))
                errors.Add($"'{h}' is not a column of a {(rows == CmdbImportRows.Cis ? "CI" : "relationship")} file. Columns: {string.Join(", ", known)}{(rows == CmdbImportRows.Cis ? ", attr:<attribute>" : "")}.");
        foreach (var dup in header.GroupBy(h => h).Where(g => g.Count() > 1)) errors.Add($"The column '{dup.Key}' is given twice.");
        var required = rows == CmdbImportRows.Cis ? new[] { "class" } : RelationshipFields;
        foreach (var r in required.Where(r => !header.Contains(r))) errors.Add($"The header needs a '{r}' column.");
        if (errors.Count > 0) throw new FieldValidationException(new Dictionary<string, string[]> { ["body"] = [.. errors] });
    }

    private static string? Key(string? key, Action<string, string> fail)
    {
        if (key is null) return null;
        var k = key.Trim();
        if (k.Length == 0) return null;
        if (k.Length > 255) { fail("key", "A key has at most 255 characters."); return null; }
        if (k.StartsWith('#')) { fail("key", "A key cannot start with '#': that marks a CI id in relationships."); return null; }
        return k;
    }

    /// <summary>Why the text cannot be taken (too long, control characters), or null when it can.</summary>
    private static string? Clean(string s, int max)
    {
        if (s.Length > max) return $"At most {max} characters.";
        if (s.Any(ch => char.IsControl(ch) && ch is not '\n' and not '\r' and not '\t')) return "Contains control characters.";
        return null;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static FieldValidationException Body(string message) => new("body", message);

    /// <summary>The body, read as it arrives, cut off with a clear 400 past <see cref="MaxBytes"/>.</summary>
    private sealed class LimitedStream(Stream inner) : Stream
    {
        private long _read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Count(await inner.ReadAsync(buffer, ct));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private int Count(int n)
        {
            _read += n;
            if (_read > MaxBytes) throw Body($"The file is larger than {MaxBytes / 1024 / 1024} MiB: split it.");
            return n;
        }
    }
}
