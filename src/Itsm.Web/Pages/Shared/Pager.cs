namespace Itsm.Web.Pages.Shared;

/// <summary>What the _Pager partial needs: where we are, how many pages, and how to link to one.</summary>
public sealed record PagerModel(int PageNumber, int PageCount, string Showing, Func<int, string> Link)
{
    /// <summary>Page numbers to show: first, last and a window around the current one; 0 marks a gap.</summary>
    public IReadOnlyList<int> Window()
    {
        var pages = new SortedSet<int> { 1, PageCount };
        for (var p = PageNumber - 1; p <= PageNumber + 1; p++)
            if (p >= 1 && p <= PageCount) pages.Add(p);
        var result = new List<int>();
        var previous = 0;
        foreach (var p in pages)
        {
            if (p - previous > 1) result.Add(0);
            result.Add(p);
            previous = p;
        }
        return result;
    }
}
