package io.github.emailtracking.servlet;

import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process that makes an upload folder in the folder given as its argument, writes a file in it,
 * prints the folder's path and waits until its input ends or it is killed.
 */
final class FolderHoldingProcess {

    private FolderHoldingProcess() {}

    public static void main(String[] args) throws Exception {
        UploadFolder folder = UploadFolder.open(Path.of(args[0]));
        Files.writeString(folder.path().resolve("upload.part"), "in progress");
        System.out.println(folder.path());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Waits.
        }
        Reference.reachabilityFence(folder);
    }
}
