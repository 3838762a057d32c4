using Itsm.Application.Common;
using Itsm.Domain.Processes;
using Itsm.Web.Pages.Shared;
using Itsm.Web.Rendering;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Admin;

/// <summary>The process definitions as loaded from itil-processes/: a state diagram and the transitions of each.</summary>
[Authorize(Roles = PageRoles.Admin)]
public sealed class ProcessesModel(IProcessCatalog processes) : PageModel
{
    public IReadOnlyList<ProcessDefinition> Processes => processes.All;

    public void OnGet()
    {
    }

    /// <summary>The diagram's SVG: built by ProcessDiagram from encoded labels, so safe to write as markup.</summary>
    public static string Diagram(ProcessDefinition p) => ProcessDiagram.RenderSvg(p);

    public static string GuardText(string name) => Guards.All.TryGetValue(name, out var g) ? g.Description : name;

    public static string StateList(ProcessDefinition p, IEnumerable<string> ids) =>
        string.Join(", ", ids.Select(id => Display.StateLabel(p, id)));
}
