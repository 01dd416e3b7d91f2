package dev.resumo.batch;

import java.nio.file.Path;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/** A {@link CountingFileSystem} name: a local absolute path (a directory's ends in '/'). */
record CountingResourceId(String localPath, boolean isDirectory) implements ResourceId {
    CountingResourceId {
        if (isDirectory && !localPath.endsWith("/")) localPath = localPath + "/";
    }

    @Override
    public ResourceId resolve(String other, ResolveOptions options) {
        if (!isDirectory) throw new IllegalStateException("cannot resolve against the file " + this);
        return new CountingResourceId(localPath + other, options == ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY);
    }

    @Override
    public ResourceId getCurrentDirectory() {
        if (isDirectory) return this;
        Path parent = Path.of(localPath).getParent();
        return new CountingResourceId(parent == null ? "/" : parent.toString(), true);
    }

    @Override
    public String getScheme() {
        return CountingFileSystem.SCHEME;
    }

    @Override
    public String getFilename() {
        Path name = Path.of(localPath).getFileName();
        return name == null ? null : name.toString();
    }

    @Override
    public String toString() {
        return CountingFileSystem.SCHEME + "://" + localPath;
    }
}
