using Itsm.Domain.Cmdb;
using Itsm.Infrastructure.Cmdb;

namespace Itsm.Domain.Tests.Cmdb;

/// <summary>The shipped CMDB vocabulary reads, and a broken copy is refused with a message that says what is wrong where.</summary>
public sealed class CmdbModelReaderTests
{
    private string _dir = "";

    [SetUp]
    public void Copy()
    {
        _dir = Path.Combine(Path.GetTempPath(), "itsm-cmdb-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        foreach (var f in Directory.GetFiles(CmdbReference.Directory, "cmdb-*.yaml")) File.Copy(f, Path.Combine(_dir, Path.GetFileName(f)));
    }

    [TearDown] public void Remove() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Read_WhenShippedReferenceData_BuildsClassesWithInheritanceAndTypes()
    {
        var (model, precedence) = CmdbModelReader.Read(CmdbReference.Directory);
        var vm = model.Class("virtual-machine");
        Assert.That(vm.Parent!.Code, Is.EqualTo("server"));
        Assert.That(vm.Attribute("hostname")!.Required, Is.True, "inherited from server");
        Assert.That(vm.Attribute("vendor"), Is.Not.Null, "inherited from configuration-item");
        Assert.That(vm.IdentifierOwner.Code, Is.EqualTo("server"));
        Assert.That(model.Class("configuration-item").IsAbstract, Is.True);
        Assert.That(model.Class("load-balancer").AllowsRedundancy, Is.True);
        Assert.That(model.Class("server").AllowsRedundancy, Is.False);
        Assert.That(model.WithSubclasses(model.Class("server")).Select(c => c.Code), Is.EquivalentTo(new[] { "server", "virtual-machine", "hypervisor-host" }));
        Assert.That(model.Type("depends-on").Impact, Is.EqualTo(ImpactDirection.TargetToSource));
        Assert.That(model.Type("member-of").Impact, Is.EqualTo(ImpactDirection.SourceToTarget));
        Assert.That(model.Type("member-of").CountsAsMembers, Is.True);
        Assert.That(model.Type("depends-on").CountsAsMembers, Is.False);
        Assert.That(model.Type("runs-on").AllowsTarget(vm), Is.True);
        Assert.That(model.Type("runs-on").AllowsSource(model.Class("storage")), Is.False);
        Assert.That(model.NormalizeEnvironment(" production "), Is.EqualTo("Production"));
        Assert.That(precedence.Outranks("manual", "discovery"), Is.True);
        Assert.That(precedence.Outranks("discovery", "manual"), Is.False);
    }

    [Test]
    public void Read_WhenAParentIsUnknown_SaysWhichClass()
    {
        Edit(CmdbModelReader.ClassesFile, "  - code: virtual-machine\n    parent: server", "  - code: virtual-machine\n    parent: servr");
        Assert.That(Error(), Does.Contain("cmdb-classes.yaml: class 'virtual-machine' has parent 'servr', which is not a class"));
    }

    [Test]
    public void Read_WhenAClassIsDeclaredTwice_SaysSo()
    {
        File.AppendAllText(Path.Combine(_dir, CmdbModelReader.ClassesFile), "\n  - code: rack\n    parent: configuration-item\n    name: Another rack\n");
        Assert.That(Error(), Does.Contain("cmdb-classes.yaml: class 'rack' is declared 2 times."));
    }

    [Test]
    public void Read_WhenARelationshipTypeNamesAnUnknownClass_SaysWhichTypeAndEnd()
    {
        Edit(CmdbModelReader.TypesFile, "sources: [business-service, application,", "sources: [business-servise, application,");
        Assert.That(Error(), Does.Contain("cmdb-relationship-types.yaml: relationship type 'depends-on' lists 'business-servise' in its sources, which is not a CI class."));
    }

    [TestCase("sideways")]
    [TestCase("7")]
    public void Read_WhenAnImpactDirectionIsUnknown_SaysWhatIsAllowed(string impact)
    {
        Edit(CmdbModelReader.TypesFile, "impact: source-to-target\n    redundancy-members: true", $"impact: \"{impact}\"\n    redundancy-members: true");
        Assert.That(Error(), Does.Contain($"relationship type 'member-of' has impact '{impact}'; write target-to-source, source-to-target, both or none."));
    }

    [Test]
    public void Read_WhenAnAttributeTypeIsUnknown_SaysWhichAttribute()
    {
        Edit(CmdbModelReader.ClassesFile, "{ name: units, type: integer }", "{ name: units, type: number }");
        Assert.That(Error(), Does.Contain("attribute 'units' of class 'rack' has type 'number'"));
    }

    [Test]
    public void Read_WhenSeveralMistakes_ReportsThemAll()
    {
        Edit(CmdbModelReader.ClassesFile, "  - code: virtual-machine\n    parent: server", "  - code: virtual-machine\n    parent: servr");
        Edit(CmdbModelReader.TypesFile, "impact: source-to-target\n    redundancy-members: true", "impact: sideways\n    redundancy-members: true");
        var message = Error();
        Assert.That(message, Does.Contain("'servr'").And.Contain("'sideways'"));
    }

    private void Edit(string file, string from, string to)
    {
        var path = Path.Combine(_dir, file);
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.That(text, Does.Contain(from), $"the test's anchor is in {file}");
        File.WriteAllText(path, text.Replace(from, to));
    }

    private string Error() => Assert.Throws<InvalidOperationException>(() => CmdbModelReader.Read(_dir))!.Message;
}
