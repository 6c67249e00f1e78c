module strongbox.local/tools/helmrender

go 1.19
