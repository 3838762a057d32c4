using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;

namespace Itsm.Domain.Tests.Cmdb;

/// <summary>CI values: attribute normalisation, the class checks, redundancy rules, and source precedence on update.</summary>
public sealed class CiValuesTests
{
    private static CmdbModel Model => CmdbReference.Model;

    [TestCase(CiAttributeType.Integer, " 42 ", "42")]
    [TestCase(CiAttributeType.Integer, "-7", "-7")]
    [TestCase(CiAttributeType.Decimal, "1,000.50", "1000.50")]
    [TestCase(CiAttributeType.Boolean, "TRUE", "true")]
    [TestCase(CiAttributeType.Date, "2026-02-28", "2026-02-28")]
    [TestCase(CiAttributeType.String, "  padded  ", "padded")]
    public void TryNormalize_WhenValueFitsTheType_ReturnsItsStoredSpelling(CiAttributeType type, string raw, string stored)
    {
        var def = new CiAttributeDefinition("x", type, false, []);
        Assert.That(def.TryNormalize(raw, out var value, out var error), Is.True, error);
        Assert.That(value, Is.EqualTo(stored));
    }

    [TestCase(CiAttributeType.Integer, "4.2", "'4.2' is not a whole number.")]
    [TestCase(CiAttributeType.Integer, "99999999999999999999", "is not a whole number.")]
    [TestCase(CiAttributeType.Decimal, "ten", "'ten' is not a number.")]
    [TestCase(CiAttributeType.Boolean, "yes", "'yes' is not true or false.")]
    [TestCase(CiAttributeType.Date, "2026-02-30", "is not a date (yyyy-MM-dd).")]
    [TestCase(CiAttributeType.Date, "02/03/2026", "is not a date (yyyy-MM-dd).")]
    public void TryNormalize_WhenValueDoesNotFit_SaysWhatIsAllowed(CiAttributeType type, string raw, string message)
    {
        var def = new CiAttributeDefinition("x", type, false, []);
        Assert.That(def.TryNormalize(raw, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public void TryNormalize_WhenEnum_MatchesAnyCaseAndListsTheValuesOtherwise()
    {
        var os = Model.Class("server").Attribute("operating-system")!;
        Assert.That(os.TryNormalize("linux", out var v, out _), Is.True);
        Assert.That(v, Is.EqualTo("Linux"));
        Assert.That(os.TryNormalize("BeOS", out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo("'BeOS' is not one of: Linux, Windows, ESXi, Other."));
    }

    [Test]
    public void TryNormalize_WhenStringTooLong_Refuses()
    {
        var def = new CiAttributeDefinition("x", CiAttributeType.String, false, []);
        Assert.That(def.TryNormalize(new string('a', CiAttributeDefinition.MaxLength + 1), out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo("At most 1000 characters."));
    }

    [Test]
    public void Normalize_WhenValuesAreGood_TrimsAndSpellsAttributesAsDeclared()
    {
        var (values, errors) = CiValidation.Normalize(Model.Class("virtual-machine"), new CiValues
        {
            Name = "  vm-01 ", Attributes = new Dictionary<string, string> { ["HostName"] = "vm-01.corp", ["cpu-count"] = " 4", ["vendor"] = " " },
        });
        Assert.That(errors, Is.Empty);
        Assert.That(values.Name, Is.EqualTo("vm-01"));
        Assert.That(values.Attributes, Is.EquivalentTo(new Dictionary<string, string> { ["hostname"] = "vm-01.corp", ["cpu-count"] = "4" }),
            "declared spelling, normalised value, blank dropped");
    }

    [Test]
    public void Normalize_WhenValuesAreBad_GivesOneErrorPerField()
    {
        var (_, errors) = CiValidation.Normalize(Model.Class("server"), new CiValues
        {
            Name = " ", Criticality = 0, Status = (CiStatus)9, Redundancy = new Redundancy(2, false),
            Attributes = new Dictionary<string, string> { ["colour"] = "red", ["memory-gb"] = "lots" },
        });
        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "name", "criticality", "status", "redundancy", "attributes.colour", "attributes.memory-gb", "attributes.hostname" }));
        Assert.That(errors["attributes.hostname"], Is.EqualTo(new[] { "A server needs 'hostname'." }));
        Assert.That(errors["attributes.colour"][0], Does.StartWith("A server has no attribute 'colour'. Its attributes: description, vendor, hostname"));
        Assert.That(errors["redundancy"][0], Does.Contain("only clusters and groups"));
        Assert.That(CiValidation.Normalize(Model.Class("server"), new CiValues { Name = new string('n', 256), Attributes = new Dictionary<string, string> { ["hostname"] = "h" } })
            .Errors.Keys, Is.EqualTo(new[] { "name" }));
    }

    [Test]
    public void IdentityKey_WhenSubclassesShareTheirParentsIdentifier_IsTheSameAcrossThem()
    {
        var vm = CiValidation.IdentityKey(Model.Class("virtual-machine"), new CiValues { Name = "a", Attributes = new Dictionary<string, string> { ["hostname"] = "Web-01" } });
        var host = CiValidation.IdentityKey(Model.Class("hypervisor-host"), new CiValues { Name = "b", Attributes = new Dictionary<string, string> { ["hostname"] = "web-01 " } });
        Assert.That(vm, Is.Not.Null.And.EqualTo(host));
        Assert.That(CiValidation.IdentityKey(Model.Class("server"), new CiValues { Name = "c" }), Is.Null, "no hostname, no identity");
    }

    [TestCase("needs 2", 2, false)]
    [TestCase("2", 2, false)]
    [TestCase("Needs 3 up", 3, false)]
    [TestCase("50%", 50, true)]
    [TestCase(" 75 % up ", 75, true)]
    public void Redundancy_TryParse_ReadsTheSpellings(string text, int needed, bool percent)
    {
        Assert.That(Redundancy.TryParse(text, out var r, out var error), Is.True, error);
        Assert.That(r, Is.EqualTo(new Redundancy(needed, percent)));
        Assert.That(Redundancy.TryParse(r.ToString(), out var again, out _) && again == r, Is.True, "ToString reads back");
    }

    [TestCase(null, "is not a redundancy rule")]
    [TestCase("", "is not a redundancy rule")]
    [TestCase("needs -1", "is not a redundancy rule")]
    [TestCase("half", "is not a redundancy rule")]
    [TestCase("0", "at least 1")]
    [TestCase("101%", "between 1 and 100")]
    [TestCase("0%", "between 1 and 100")]
    [TestCase("9999999", "is not a redundancy rule")]
    public void Redundancy_TryParse_RefusesNonsense(string? text, string message)
    {
        Assert.That(Redundancy.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(message));
    }

    [TestCase("needs 2", 3, 1, false)]
    [TestCase("needs 2", 3, 2, true)]
    [TestCase("needs 5", 3, 1, true)]
    [TestCase("50%", 4, 2, false)]
    [TestCase("50%", 4, 3, true)]
    [TestCase("75%", 3, 1, true)]
    public void Redundancy_IsImpacted_WhenMoreAreDownThanItCanSpare(string rule, int members, int down, bool impacted)
    {
        Redundancy.TryParse(rule, out var r, out _);
        Assert.That(r.IsImpacted(down, members), Is.EqualTo(impacted));
    }

    [Test]
    public void Update_WhenALowerSourceWritesAFieldAHigherOneOwns_KeepsItAndReportsOnlyRealChanges()
    {
        var cls = Model.Class("server");
        var precedence = CmdbReference.Precedence;
        var changeset = new CmdbChangeset("u", "User", DateTimeOffset.UnixEpoch, null, null, null);
        var ci = ConfigurationItem.Register(cls, new CiValues { Name = "srv-1", Attributes = new Dictionary<string, string> { ["hostname"] = "srv-1" } },
            "discovery", "D-1", changeset);

        var byPerson = ci.Update(cls, ci.CurrentValues() with { Name = "srv-1 (renamed)" }, null, precedence, changeset);
        var byDiscovery = ci.Update(cls, ci.CurrentValues() with { Name = "srv-1", Criticality = 1 }, "discovery", precedence, changeset);
        var noChange = ci.Update(cls, ci.CurrentValues(), "discovery", precedence, changeset);

        Assert.That(byPerson, Is.EqualTo(new[] { ("name", (string?)"srv-1", (string?)"srv-1 (renamed)") }));
        Assert.That(byDiscovery, Is.EqualTo(new[] { ("criticality", (string?)"3", (string?)"1") }), "the name is the person's now; criticality still discovery's");
        Assert.That(noChange, Is.Empty);
        Assert.That(ci.Name, Is.EqualTo("srv-1 (renamed)"));
        Assert.That(ci.Criticality, Is.EqualTo(1));
        Assert.That(ci.Version, Is.EqualTo(3));
        Assert.That(ci.AttributeSources["name"], Is.EqualTo("manual"));
    }

    [Test]
    public void Register_StampsEveryFieldWithTheSource_AsFieldsNamesThem()
    {
        var changeset = new CmdbChangeset("u", "User", DateTimeOffset.UnixEpoch, null, null, null);
        var ci = ConfigurationItem.Register(Model.Class("server"),
            new CiValues { Name = "srv-1", Attributes = new Dictionary<string, string> { ["hostname"] = "srv-1", ["operating-system"] = "Linux" } },
            "discovery", "D-1", changeset);

        Assert.That(ci.AttributeSources.Keys, Is.EquivalentTo(ci.Fields().Keys));
        Assert.That(ci.AttributeSources.Values.Distinct(), Is.EqualTo(new[] { "discovery" }));
    }

    [Test]
    public void Register_WhenClassIsAbstract_IsRefused()
    {
        var changeset = new CmdbChangeset("u", "User", DateTimeOffset.UnixEpoch, null, null, null);
        var e = Assert.Throws<BusinessRuleException>(() => ConfigurationItem.Register(Model.Class("configuration-item"), new CiValues { Name = "x" }, null, null, changeset));
        Assert.That(e!.Message, Does.Contain("abstract"));
    }

    [Test]
    public void CheckVersion_WhenStale_IsAConcurrencyConflict()
    {
        var changeset = new CmdbChangeset("u", "User", DateTimeOffset.UnixEpoch, null, null, null);
        var ci = ConfigurationItem.Register(Model.Class("application"), new CiValues { Name = "x" }, null, null, changeset);
        Assert.DoesNotThrow(() => ci.CheckVersion(1));
        Assert.DoesNotThrow(() => ci.CheckVersion(null));
        Assert.Throws<ConcurrencyConflictException>(() => ci.CheckVersion(2));
    }
}
