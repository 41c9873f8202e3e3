namespace OciRegistry.Mirror.Transfer;

/// <summary>Hears how an export, import or sync advances.</summary>
public interface ITransferProgress
{
    /// <summary>The transfer resolved its selection: <paramref name="images"/> images will be copied.</summary>
    void Planned(int images);

    /// <summary>An image (a tag and everything it reaches) starts.</summary>
    void ImageStarted(string image);

    /// <summary><paramref name="bytes"/> more blob bytes were copied.</summary>
    void Transferred(long bytes);

    /// <summary>An image is done.</summary>
    void ImageFinished(string image);
}
