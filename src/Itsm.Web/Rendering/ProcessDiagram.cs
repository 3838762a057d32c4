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
    private const double BoxW = 132, BoxH = 42, ColGap = 120, RowGap = 54, Pad = 16;
    private const double StateFont = 16, EdgeFont = 13;
    private const double LaneBase = 26, LaneStep = 18;

    private enum Side { Left, Right, Top }

    private sealed record Box(StateDefinition State, int Column, int Row, double X, double Y)
    {
        public double CenterY => Y + BoxH / 2;
        public double Right => X + BoxW;
    }

    private sealed record Edge(int Index, string From, string To, string Label, bool Automatic);

    private readonly record struct Point(double X, double Y);

    private readonly record struct Rect(double X, double Y, double W, double H)
    {
        public double Overlap(Rect o) =>
            Math.Max(0, Math.Min(X + W, o.X + o.W) - Math.Max(X, o.X)) * Math.Max(0, Math.Min(Y + H, o.Y + o.H) - Math.Max(Y, o.Y));
    }

    /// <summary>An edge drawn as a cubic Bézier curve, and where its label went.</summary>
    private sealed record Curve(Edge Edge, Point P0, Point C1, Point C2, Point P3)
    {
        public Point Label { get; set; }

        public Point At(double t)
        {
            double u = 1 - t, a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
            return new(a * P0.X + b * C1.X + c * C2.X + d * P3.X, a * P0.Y + b * C1.Y + c * C2.Y + d * P3.Y);
        }
    }

    public static string RenderSvg(ProcessDefinition p)
    {
        var boxes = Layout(p);
        var curves = Route(Edges(p, boxes), boxes);
        PlaceLabels(curves, boxes.Values);
        var id = "process-" + IdPart(p.Name);

        // The view box is the bounding box of everything drawn, so nothing is clipped whatever the shape.
        var initial = boxes.GetValueOrDefault(p.InitialState);
        var rects = boxes.Values.Select(b => new Rect(b.X, b.Y, BoxW, BoxH))
            .Concat(curves.Select(c => LabelRect(c.Edge.Label, c.Label)))
            .Concat(curves.SelectMany(c => new[] { c.C1, c.C2 }).Select(pt => new Rect(pt.X, pt.Y, 0, 0)))
            .Append(initial is null ? new Rect(0, 0, 0, 0) : new Rect(initial.X - 32, initial.CenterY, 0, 0)).ToList();
        var (minX, minY) = (rects.Min(r => r.X) - Pad, rects.Min(r => r.Y) - Pad);
        var (width, height) = (rects.Max(r => r.X + r.W) + Pad - minX, rects.Max(r => r.Y + r.H) + Pad - minY);

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" ")
           .Append($"viewBox=\"{N(minX)} {N(minY)} {N(width)} {N(height)}\" width=\"100%\" ")
           .Append($"style=\"max-width:{N(width)}px;height:auto\" font-family=\"system-ui, sans-serif\">\n");
        svg.Append($"<title id=\"{id}-title\">{E(p.Name)} process: state diagram</title>\n");
        svg.Append($"<desc id=\"{id}-desc\">{E(Describe(p))}</desc>\n");
        svg.Append("<defs>")
           .Append($"<marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
           .Append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#37474f\"/></marker></defs>\n");

        if (initial is not null)
            svg.Append($"<circle cx=\"{N(initial.X - 26)}\" cy=\"{N(initial.CenterY)}\" r=\"6\" fill=\"#37474f\"/>")
               .Append($"<line x1=\"{N(initial.X - 20)}\" y1=\"{N(initial.CenterY)}\" x2=\"{N(initial.X)}\" y2=\"{N(initial.CenterY)}\" ")
               .Append($"stroke=\"#37474f\" stroke-width=\"1.5\" marker-end=\"url(#{id}-arrow)\"/>\n");

        foreach (var c in curves)
            svg.Append($"<path d=\"M{N(c.P0.X)},{N(c.P0.Y)} C{N(c.C1.X)},{N(c.C1.Y)} {N(c.C2.X)},{N(c.C2.Y)} {N(c.P3.X)},{N(c.P3.Y)}\" ")
               .Append("fill=\"none\" stroke=\"#37474f\" stroke-width=\"1.5\"")
               .Append(c.Edge.Automatic ? " stroke-dasharray=\"6 4\"" : "")
               .Append($" marker-end=\"url(#{id}-arrow)\"/>\n");

        foreach (var b in boxes.Values)
        {
            var s = b.State;
            // Final states: dark with a double border; inactive ones (e.g. resolved): grey; open work: white.
            var (fill, text) = s.IsFinal ? ("#37474f", "#ffffff") : s.IsActive ? ("#ffffff", "#1b1b1b") : ("#e7eaec", "#1b1b1b");
            svg.Append($"<g class=\"state{(s.IsFinal ? " final" : "")}\"><rect x=\"{N(b.X)}\" y=\"{N(b.Y)}\" width=\"{N(BoxW)}\" height=\"{N(BoxH)}\" rx=\"10\" ")
               .Append($"fill=\"{fill}\" stroke=\"#37474f\" stroke-width=\"2\"/>");
            if (s.IsFinal)
                svg.Append($"<rect x=\"{N(b.X + 3)}\" y=\"{N(b.Y + 3)}\" width=\"{N(BoxW - 6)}\" height=\"{N(BoxH - 6)}\" rx=\"8\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"1\"/>");
            svg.Append($"<text x=\"{N(b.X + BoxW / 2)}\" y=\"{N(b.CenterY)}\" text-anchor=\"middle\" dominant-baseline=\"central\" ")
               .Append($"font-size=\"{N(StateFont)}\" font-weight=\"600\" fill=\"{text}\">{E(s.Label)}</text></g>\n");
        }

        // Labels last, with a white halo, so that no line crosses over them.
        foreach (var c in curves)
            svg.Append($"<text x=\"{N(c.Label.X)}\" y=\"{N(c.Label.Y)}\" text-anchor=\"middle\" dominant-baseline=\"central\" font-size=\"{N(EdgeFont)}\" ")
               .Append("fill=\"#1b1b1b\" stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\"")
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
                boxes[columns[c][r].Id] = new Box(columns[c][r], c, r, c * (BoxW + ColGap), top + r * (BoxH + RowGap));
        }
        return boxes;
    }

    /// <summary>One arrow per (from, to) pair and kind: manual transitions sharing a pair share an arrow and a label.</summary>
    private static List<Edge> Edges(ProcessDefinition p, Dictionary<string, Box> boxes)
    {
        var manual = p.Transitions.SelectMany(t => t.From.Select(f => (From: f, t.To, t.Name)))
            .GroupBy(e => (e.From, e.To))
            .Select(g => (g.Key.From, g.Key.To, Label: string.Join(", ", g.Select(e => e.Name).Distinct()), Automatic: false));
        var automatic = p.AutomaticTransitions.Select(a => (a.From, a.To, Label: a.Name, Automatic: true));
        return manual.Concat(automatic).Where(e => boxes.ContainsKey(e.From) && boxes.ContainsKey(e.To))
            .Select((e, i) => new Edge(i, e.From, e.To, e.Label, e.Automatic)).ToList();
    }

    /// <summary>
    /// Between columns an arrow leaves the right side and enters the left one (or the reverse going back). Within a
    /// column it runs in a lane beside the boxes: downward on the right, upward on the left, longer jumps further out.
    /// Where several arrows meet a box side they are spread along it so that they do not start or end on one point.
    /// </summary>
    private static List<Curve> Route(List<Edge> edges, Dictionary<string, Box> boxes)
    {
        var lanes = AssignLanes(edges, boxes);
        var ends = new List<(Edge Edge, bool IsSource, Box Box, Side Side, double Key)>();
        foreach (var e in edges)
        {
            var (a, b) = (boxes[e.From], boxes[e.To]);
            if (e.From == e.To) continue;
            var (sa, sb) = a.Column == b.Column
                ? (b.Row > a.Row ? (Side.Right, Side.Right) : (Side.Left, Side.Left))
                : b.Column > a.Column ? (Side.Right, Side.Left) : (Side.Left, Side.Right);
            ends.Add((e, true, a, sa, PortKey(e, a, b, lanes)));
            ends.Add((e, false, b, sb, PortKey(e, b, a, lanes)));
        }
        var ports = new Dictionary<(int, bool), Point>();
        foreach (var side in ends.GroupBy(x => (x.Box.State.Id, x.Side)))
        {
            var list = side.OrderBy(x => x.Key).ThenBy(x => x.Edge.Index).ThenBy(x => x.IsSource).ToList();
            for (var i = 0; i < list.Count; i++)
            {
                var box = list[i].Box;
                var x = list[i].Side == Side.Right ? box.Right : box.X;
                ports[(list[i].Edge.Index, list[i].IsSource)] = new Point(x, box.Y + BoxH * (i + 1) / (list.Count + 1));
            }
        }

        var curves = new List<Curve>();
        foreach (var e in edges)
        {
            var (a, b) = (boxes[e.From], boxes[e.To]);
            if (e.From == e.To)
            {
                // A loop on the box's top edge.
                var x = a.X + BoxW / 2;
                curves.Add(new Curve(e, new(x - 24, a.Y), new(x - 34, a.Y - 52), new(x + 34, a.Y - 52), new(x + 24, a.Y)));
                continue;
            }
            var (p0, p3) = (ports[(e.Index, true)], ports[(e.Index, false)]);
            if (a.Column == b.Column)
            {
                var bulge = (LaneBase + LaneStep * lanes[e.Index]) * (p0.X > a.X ? 1 : -1);
                curves.Add(new Curve(e, p0, new(p0.X + bulge, p0.Y), new(p3.X + bulge, p3.Y), p3));
            }
            else
            {
                var half = (p3.X - p0.X) / 2;
                curves.Add(new Curve(e, p0, new(p0.X + half, p0.Y), new(p3.X - half, p3.Y), p3));
            }
        }
        return curves;
    }

    /// <summary>Lanes per column side, shortest jumps innermost; jumps that do not overlap share a lane.</summary>
    private static Dictionary<int, int> AssignLanes(List<Edge> edges, Dictionary<string, Box> boxes)
    {
        var lanes = new Dictionary<int, int>();
        var within = edges.Where(e => e.From != e.To && boxes[e.From].Column == boxes[e.To].Column)
            .Select(e => (Edge: e, Column: boxes[e.From].Column, Down: boxes[e.To].Row > boxes[e.From].Row,
                Low: Math.Min(boxes[e.From].Row, boxes[e.To].Row), High: Math.Max(boxes[e.From].Row, boxes[e.To].Row)));
        foreach (var group in within.GroupBy(x => (x.Column, x.Down)))
        {
            var taken = new List<List<(int Low, int High)>>();
            foreach (var x in group.OrderBy(x => x.High - x.Low).ThenBy(x => x.Edge.Index))
            {
                var lane = taken.FindIndex(l => l.All(s => s.High <= x.Low || x.High <= s.Low));
                if (lane < 0) { taken.Add([]); lane = taken.Count - 1; }
                taken[lane].Add((x.Low, x.High));
                lanes[x.Edge.Index] = lane;
            }
        }
        return lanes;
    }

    /// <summary>
    /// Orders the arrows meeting one box side, top to bottom, so that they cross as little as possible: arrows to
    /// other columns by the other end's height; lane arrows towards boxes above come first (outer lanes further out),
    /// those towards boxes below last (outer lanes higher).
    /// </summary>
    private static double PortKey(Edge e, Box self, Box other, Dictionary<int, int> lanes)
    {
        if (self.Column != other.Column) return other.CenterY;
        var lane = lanes[e.Index];
        return other.Row < self.Row ? -1_000_000 + lane : 1_000_000 - lane;
    }

    /// <summary>Puts each label on its curve where it overlaps the fewest boxes and earlier labels; the middle if it can.</summary>
    private static void PlaceLabels(List<Curve> curves, IEnumerable<Box> boxes)
    {
        var taken = boxes.Select(b => new Rect(b.X, b.Y, BoxW, BoxH)).ToList();
        double[] positions = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78];
        foreach (var c in curves)
        {
            var best = positions.Select(t => c.At(t))
                .Select((pt, i) => (Point: pt, Cost: taken.Sum(r => r.Overlap(LabelRect(c.Edge.Label, pt))), Order: i))
                .OrderBy(x => x.Cost).ThenBy(x => x.Order).First();
            c.Label = best.Point;
            taken.Add(LabelRect(c.Edge.Label, best.Point));
        }
    }

    private static Rect LabelRect(string text, Point at)
    {
        var w = text.Length * EdgeFont * 0.56 + 4;
        return new Rect(at.X - w / 2, at.Y - EdgeFont * 0.7, w, EdgeFont * 1.4);
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

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string IdPart(string name)
    {
        var chars = name.Select(ch => char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-').ToArray();
        return new string(chars).Trim('-') is { Length: > 0 } s ? s : "process";
    }
}
