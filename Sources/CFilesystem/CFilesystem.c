#include <sys/vfs.h>
#include "CFilesystem.h"

int roster_filesystem_type(const char *path, unsigned long *type) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    *type = (unsigned long)info.f_type;
    return 0;
}
