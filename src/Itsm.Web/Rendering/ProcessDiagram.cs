using System.Globalization;
using System.Net;
using System.Text;
using Itsm.Domain.Processes;

namespace Itsm.Web.Rendering;

/// <summary>
/// Draws a process definition as a state diagram in SVG: states in columns by breadth-first distance from the
/// initial state, transitions as labelled arrows (automatic ones dashed). Deterministic: the same definition
/// always gives the same text, so it can be cached and compared in tests.
/// </summary>
public static class ProcessDiagram
{
    private const double BoxW = 132, BoxH = 42, ColGap = 112, RowGap = 54, Pad = 16;
    private const double StateFont = 16, EdgeFont = 13;

    private sealed record Box(StateDefinition State, int Column, double X, double Y)
    {
        public double CenterY => Y + BoxH / 2;
        public double Right => X + BoxW;
    }

    private sealed record Edge(string From, string To, string Label, bool Automatic);

    private sealed record Curve(Edge Edge, double X0, double Y0, double Cx, double Cy, double X1, double Y1)
    {
        // The point halfway along a quadratic Bézier curve, where its label goes.
        public double MidX => 0.25 * X0 + 0.5 * Cx + 0.25 * X1;
        public double MidY => 0.25 * Y0 + 0.5 * Cy + 0.25 * Y1;
    }

    public static string RenderSvg(ProcessDefinition p)
    {
        var boxes = Layout(p);
        var curves = Route(Edges(p, boxes), boxes);
        var id = "process-" + IdPart(p.Name);

        // The view box is the bounding box of everything drawn, so nothing is clipped whatever the shape.
        var initial = boxes.GetValueOrDefault(p.InitialState);
        var xs = boxes.Values.SelectMany(b => new[] { b.X, b.Right })
            .Concat(curves.SelectMany(c => new[] { c.Cx, c.MidX - LabelWidth(c.Edge.Label) / 2, c.MidX + LabelWidth(c.Edge.Label) / 2 }))
            .Append(initial is null ? 0 : initial.X - 30).ToList();
        var ys = boxes.Values.SelectMany(b => new[] { b.Y, b.Y + BoxH })
            .Concat(curves.SelectMany(c => new[] { c.Cy, c.MidY - EdgeFont })).ToList();
        var (minX, maxX) = (xs.Min() - Pad, xs.Max() + Pad);
        var (minY, maxY) = (ys.Min() - Pad, ys.Max() + Pad);

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" ")
           .Append($"viewBox=\"{N(minX)} {N(minY)} {N(maxX - minX)} {N(maxY - minY)}\" width=\"100%\" ")
           .Append($"style=\"max-width:{N(maxX - minX)}px;height:auto\" font-family=\"system-ui, sans-serif\">\n");
        svg.Append($"<title id=\"{id}-title\">{E(p.Name)} process: state diagram</title>\n");
        svg.Append($"<desc id=\"{id}-desc\">{E(Describe(p))}</desc>\n");
        svg.Append("<defs>")
           .Append($"<marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">")
           .Append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#37474f\"/></marker></defs>\n");

        if (initial is not null)
            svg.Append($"<circle cx=\"{N(initial.X - 24)}\" cy=\"{N(initial.CenterY)}\" r=\"6\" fill=\"#37474f\"/>")
               .Append($"<line x1=\"{N(initial.X - 18)}\" y1=\"{N(initial.CenterY)}\" x2=\"{N(initial.X)}\" y2=\"{N(initial.CenterY)}\" ")
               .Append($"stroke=\"#37474f\" stroke-width=\"1.5\" marker-end=\"url(#{id}-arrow)\"/>\n");

        foreach (var c in curves)
            svg.Append($"<path d=\"M{N(c.X0)},{N(c.Y0)} Q{N(c.Cx)},{N(c.Cy)} {N(c.X1)},{N(c.Y1)}\" fill=\"none\" stroke=\"#37474f\" stroke-width=\"1.5\"")
               .Append(c.Edge.Automatic ? " stroke-dasharray=\"6 4\"" : "")
               .Append($" marker-end=\"url(#{id}-arrow)\"/>\n");

        foreach (var b in boxes.Values)
        {
            var s = b.State;
            // Final states are filled dark with a double border; inactive ones (e.g. resolved) are grey; open work is white.
            var (fill, text) = s.IsFinal ? ("#37474f", "#ffffff") : s.IsActive ? ("#ffffff", "#1b1b1b") : ("#e7eaec", "#1b1b1b");
            svg.Append($"<g class=\"state{(s.IsFinal ? " final" : "")}\"><rect x=\"{N(b.X)}\" y=\"{N(b.Y)}\" width=\"{N(BoxW)}\" height=\"{N(BoxH)}\" rx=\"10\" ")
               .Append($"fill=\"{fill}\" stroke=\"#37474f\" stroke-width=\"2\"/>");
            if (s.IsFinal)
                svg.Append($"<rect x=\"{N(b.X + 3)}\" y=\"{N(b.Y + 3)}\" width=\"{N(BoxW - 6)}\" height=\"{N(BoxH - 6)}\" rx=\"8\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"1\"/>");
            svg.Append($"<text x=\"{N(b.X + BoxW / 2)}\" y=\"{N(b.CenterY)}\" text-anchor=\"middle\" dominant-baseline=\"central\" ")
               .Append($"font-size=\"{N(StateFont)}\" font-weight=\"600\" fill=\"{text}\">{E(s.Label)}</text></g>\n");
        }

        // Labels last, with a white halo, so that lines never cross over them.
        foreach (var c in curves)
            svg.Append($"<text x=\"{N(c.MidX)}\" y=\"{N(c.MidY)}\" text-anchor=\"middle\" dominant-baseline=\"central\" font-size=\"{N(EdgeFont)}\" ")
               .Append($"fill=\"#1b1b1b\" stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\"")
               .Append(c.Edge.Automatic ? " font-style=\"italic\"" : "")
               .Append($">{E(c.Edge.Label)}</text>\n");

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Columns by breadth-first distance from the initial state; unreachable states in a last column; rows in file order.</summary>
    private static Dictionary<string, Box> Layout(ProcessDefinition p)
    {
        var states = p.States.DistinctBy(s => s.Id).ToList();
        var next = p.Transitions.SelectMany(t => t.From.Select(f => (From: f, t.To)))
            .Concat(p.AutomaticTransitions.Select(a => (a.From, a.To)))
            .ToLookup(e => e.From, e => e.To);
        var distance = new Dictionary<string, int>();
        if (states.Any(s => s.Id == p.InitialState))
        {
            distance[p.InitialState] = 0;
            var queue = new Queue<string>([p.InitialState]);
            while (queue.TryDequeue(out var s))
                foreach (var n in next[s].Where(n => !distance.ContainsKey(n)))
                {
                    distance[n] = distance[s] + 1;
                    queue.Enqueue(n);
                }
        }
        var lastColumn = distance.Count == 0 ? 0 : distance.Values.Max() + 1;
        var columns = states.GroupBy(s => distance.TryGetValue(s.Id, out var d) ? d : lastColumn)
            .OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var rows = columns.Count == 0 ? 0 : columns.Max(c => c.Count);

        var boxes = new Dictionary<string, Box>();
        for (var c = 0; c < columns.Count; c++)
        {
            // Shorter columns are centred against the tallest.
            var top = (rows - columns[c].Count) * (BoxH + RowGap) / 2;
            for (var r = 0; r < columns[c].Count; r++)
                boxes[columns[c][r].Id] = new Box(columns[c][r], c, c * (BoxW + ColGap), top + r * (BoxH + RowGap));
        }
        return boxes;
    }

    /// <summary>One arrow per (from, to) pair and kind: manual transitions sharing a pair share an arrow and a label.</summary>
    private static List<Edge> Edges(ProcessDefinition p, Dictionary<string, Box> boxes)
    {
        var manual = p.Transitions.SelectMany(t => t.From.Select(f => (From: f, t.To, t.Name)))
            .GroupBy(e => (e.From, e.To))
            .Select(g => new Edge(g.Key.From, g.Key.To, string.Join(", ", g.Select(e => e.Name).Distinct()), false));
        var automatic = p.AutomaticTransitions.Select(a => new Edge(a.From, a.To, a.Name, true));
        return manual.Concat(automatic).Where(e => boxes.ContainsKey(e.From) && boxes.ContainsKey(e.To)).ToList();
    }

    private static List<Curve> Route(List<Edge> edges, Dictionary<string, Box> boxes)
    {
        var curves = new List<Curve>();
        var perPair = new Dictionary<(string, string), int>();
        foreach (var e in edges)
        {
            var (a, b) = (boxes[e.From], boxes[e.To]);
            // Arrows between the same two states (either way) bend further apart so that none overlap.
            var key = string.CompareOrdinal(e.From, e.To) <= 0 ? (e.From, e.To) : (e.To, e.From);
            var lane = perPair[key] = perPair.GetValueOrDefault(key) + 1;
            if (e.From == e.To)
            {
                // A loop on the box's top edge.
                var x = a.X + BoxW / 2;
                curves.Add(new Curve(e, x - 20, a.Y, x, a.Y - 40 - 16 * lane, x + 20, a.Y));
            }
            else if (a.Column == b.Column)
            {
                // Within a column: downward arrows bulge right, upward ones left, further for longer jumps.
                var down = b.Y > a.Y;
                var side = down ? a.Right : a.X;
                var bulge = (36 + 0.25 * Math.Abs(b.Y - a.Y) + 18 * (lane - 1)) * (down ? 1 : -1);
                curves.Add(new Curve(e, side, a.CenterY, side + bulge, (a.CenterY + b.CenterY) / 2, side, b.CenterY));
            }
            else
            {
                var forward = b.Column > a.Column;
                var (x0, x1) = forward ? (a.Right, b.X) : (a.X, b.Right);
                var (y0, y1) = (a.CenterY, b.CenterY);
                // Bend to the left of the direction of travel, so the two directions of a pair separate.
                var (dx, dy) = (x1 - x0, y1 - y0);
                var length = Math.Max(1, Math.Sqrt(dx * dx + dy * dy));
                var offset = lane == 1 && forward ? 0 : 22 * lane;
                curves.Add(new Curve(e, x0, y0, (x0 + x1) / 2 + dy / length * offset, (y0 + y1) / 2 - dx / length * offset, x1, y1));
            }
        }
        return curves;
    }

    /// <summary>The diagram in words, for screen readers.</summary>
    private static string Describe(ProcessDefinition p)
    {
        string Label(string id) => p.States.FirstOrDefault(s => s.Id == id)?.Label ?? id;
        var lines = new List<string> { $"Starts in {Label(p.InitialState)}. Final states: {string.Join(", ", p.States.Where(s => s.IsFinal).Select(s => s.Label))}." };
        lines.AddRange(p.Transitions.Select(t => $"{t.Name}: {string.Join(" or ", t.From.Select(Label))} to {Label(t.To)}."));
        lines.AddRange(p.AutomaticTransitions.Select(a => $"{a.Name} (automatic): {Label(a.From)} to {Label(a.To)}."));
        return string.Join(" ", lines);
    }

    private static double LabelWidth(string text) => text.Length * EdgeFont * 0.58;

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string IdPart(string name)
    {
        var chars = name.Select(ch => char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-').ToArray();
        return new string(chars).Trim('-') is { Length: > 0 } s ? s : "process";
    }
}
