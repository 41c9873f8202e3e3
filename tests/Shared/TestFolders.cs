namespace OciRegistry.Tests;

/// <summary>Removes a test's folder at the end of the test.</summary>
internal static class TestFolders
{
    /// <summary>
    /// Deletes <paramref name="path"/> and everything under it, trying again while it changes under the delete: the
    /// file-system store finishes with an upload's folder after the commit returns (a kept folder gets its next data
    /// file and moves into <c>spare/</c>, a cancelled one is deleted), so a delete right after a push can find an
    /// entry gone or a folder not yet empty. Tries for up to 30 s, as long as the store's own tests wait for its
    /// background work (TemporaryRoot.AssertTmpEmptiesAsync): a loaded machine may run a queued work item late.
    /// </summary>
    public static void Delete(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException) when (!Directory.Exists(path))
            {
                return;
            }
            catch (IOException) when (attempt < 1500)
            {
                Thread.Sleep(20);
            }
        }
    }
}
