using System.Xml.Linq;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Processes;
using Itsm.Web.Rendering;

namespace Itsm.IntegrationTests.Processes;

/// <summary>
/// The state diagram of a process. Lives here rather than in Itsm.Domain.Tests because the renderer is in Itsm.Web,
/// which only this project references.
/// </summary>
public class ProcessDiagramTests
{
    private static ProcessDefinition ShippedIncident()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Itsm.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "Itsm.sln not found above the test directory");
        return ProcessDefinitionLoader.LoadDirectory(Path.Combine(dir!.FullName, "itil-processes")).Single(p => p.Kind == TicketKind.Incident);
    }

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Test]
    public void RenderSvg_WhenShippedIncident_IsAccessibleWellFormedSvgWithEveryStateAndTransition()
    {
        var incident = ShippedIncident();

        var svg = XElement.Parse(ProcessDiagram.RenderSvg(incident));

        Assert.That(svg.Name, Is.EqualTo(Svg + "svg"));
        Assert.That(svg.Attribute("role")?.Value, Is.EqualTo("img"));
        Assert.That(svg.Attribute("viewBox")?.Value, Is.Not.Null.And.Not.Empty);
        Assert.That(svg.Element(Svg + "title")?.Value, Does.Contain("incident"));
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.That(texts, Is.SupersetOf(incident.States.Select(s => s.Label)));
        foreach (var name in incident.Transitions.Select(t => t.Name).Concat(incident.AutomaticTransitions.Select(a => a.Name)))
            Assert.That(texts, Has.Some.Contains(name), $"transition {name} is labelled");
    }

    [Test]
    public void RenderSvg_WhenShippedIncident_DrawsAutomaticTransitionsDashedAndFinalStatesDistinct()
    {
        var svg = XElement.Parse(ProcessDiagram.RenderSvg(ShippedIncident()));

        Assert.That(svg.Descendants(Svg + "path").Count(p => p.Attribute("stroke-dasharray") is not null), Is.EqualTo(3), "caller-responded, problem-fixed, auto-close");
        Assert.That(svg.Descendants(Svg + "g").Count(g => g.Attribute("class")?.Value == "state final"), Is.EqualTo(2));
    }

    [Test]
    public void RenderSvg_WhenSameDefinitionTwice_GivesSameText()
    {
        var first = ProcessDiagram.RenderSvg(ShippedIncident());
        var second = ProcessDiagram.RenderSvg(ShippedIncident());

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void RenderSvg_WhenLabelsAreHostile_EscapesThem()
    {
        var at = new SourceLocation("x.yaml", 1);
        var p = new ProcessDefinition
        {
            Name = "evil\"><script>alert(1)</script>",
            Kind = TicketKind.Task,
            File = "x.yaml",
            InitialState = "a",
            States = [new StateDefinition("a", "<script>alert('a')</script>", true, false, at), new StateDefinition("b", "B & <b>", false, true, at)],
            Transitions = [new TransitionDefinition("<img src=x onerror=alert(1)>", "Go", ["a"], "b", ["Agent"], [], [], at)],
        };

        var text = ProcessDiagram.RenderSvg(p);

        Assert.That(text, Does.Not.Contain("<script"));
        Assert.That(text, Does.Not.Contain("<img"));
        Assert.That(text, Does.Not.Contain("<b>"));
        var svg = XElement.Parse(text);
        Assert.That(svg.Descendants(Svg + "text").Select(t => t.Value),
            Is.SupersetOf(new[] { "<script>alert('a')</script>", "B & <b>", "<img src=x onerror=alert(1)>" }));
        Assert.That(svg.Descendants().Attributes("id").Select(a => a.Value), Has.All.Match("^[a-z0-9-]+$"));
    }

    [Test]
    public void RenderSvg_WhenStateUnreachable_StillDrawsIt()
    {
        var at = new SourceLocation("x.yaml", 1);
        var p = new ProcessDefinition
        {
            Name = "islands",
            Kind = TicketKind.Task,
            File = "x.yaml",
            InitialState = "a",
            States = [new StateDefinition("a", "Start", true, false, at), new StateDefinition("b", "End", false, true, at),
                new StateDefinition("c", "Island", true, false, at)],
            Transitions = [new TransitionDefinition("go", "Go", ["a"], "b", ["Agent"], [], [], at)],
        };

        var texts = XElement.Parse(ProcessDiagram.RenderSvg(p)).Descendants(Svg + "text").Select(t => t.Value);

        Assert.That(texts, Is.SupersetOf(new[] { "Start", "End", "Island" }));
    }
}
