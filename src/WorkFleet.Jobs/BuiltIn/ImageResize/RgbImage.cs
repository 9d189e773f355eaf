namespace WorkFleet.Jobs.BuiltIn.ImageResize;

/// <summary>An 8-bit RGB image, row-major, 3 bytes per pixel.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Pixels">Width × Height × 3 bytes: R, G, B of each pixel, rows top to bottom.</param>
internal sealed record RgbImage(int Width, int Height, byte[] Pixels);
