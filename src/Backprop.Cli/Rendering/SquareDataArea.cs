using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>
/// ScottPlot's automatic layout (every axis, title and legend panel measured and fitted around the data area), with the data
/// area then narrowed to a square in the middle of the room it was given. With equal x and y ranges this makes one unit as
/// long on both axes: the cells of a confusion matrix are squares and the line <c>y = x</c> runs at 45°.
/// </summary>
internal sealed class SquareDataArea : ILayoutEngine
{
    private readonly ScottPlot.LayoutEngines.Automatic _automatic = new();

    public Layout GetLayout(PixelRect figureRect, Plot plot, Paint paint)
    {
        Layout layout = _automatic.GetLayout(figureRect, plot, paint);
        PixelRect room = layout.DataRect;
        float side = Math.Min(room.Width, room.Height);
        // Panels are placed by their distance from the data area, so they follow the square: the spare room is split evenly
        // on both sides and the whole picture stays centred.
        float left = room.Left + (room.Width - side) / 2;
        float top = room.Top + (room.Height - side) / 2;
        var square = new PixelRect(left, left + side, top + side, top);
        return new Layout(figureRect, square, layout.PanelSizes, layout.PanelOffsets);
    }
}
