#ifndef ROSTER_CFILESYSTEM_H
#define ROSTER_CFILESYSTEM_H

/// statfs(2)'s f_type for the filesystem `path` is on; 0 on success, -1 with errno set.
/// (Swift's Glibc module does not bring in <sys/vfs.h>.)
int roster_filesystem_type(const char *path, unsigned long *type);

#endif
