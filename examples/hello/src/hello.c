/* hello: the dalec-bake example program. Greets a name given on the command line or on stdin,
 * with a greeting read from /etc/hello/hello.conf (or $HELLO_GREETING). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef VERSION
#define VERSION "dev"
#endif
#ifndef BUILD_MODE
#define BUILD_MODE "unknown"
#endif

static void greeting(char *buf, size_t len) {
  const char *env = getenv("HELLO_GREETING");
  snprintf(buf, len, "%s", env && *env ? env : "Hello");
  if (env && *env) return;
  FILE *f = fopen("/etc/hello/hello.conf", "r");
  if (!f) return;
  char line[256];
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "greeting=", 9) == 0) {
      line[strcspn(line, "\n")] = '\0';
      snprintf(buf, len, "%s", line + 9);
    }
  }
  fclose(f);
}

int main(int argc, char **argv) {
  char name[256] = "world";
  char hello[256];
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--version") == 0) {
      printf("hello %s (%s)\n", VERSION, BUILD_MODE);
      return 0;
    } else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
      snprintf(name, sizeof name, "%s", argv[++i]);
    } else if (strcmp(argv[i], "-") == 0) {
      if (!fgets(name, sizeof name, stdin)) name[0] = '\0';
      name[strcspn(name, "\n")] = '\0';
    } else {
      fprintf(stderr, "hello: unknown argument: %s\n", argv[i]);
      return 2;
    }
  }
  greeting(hello, sizeof hello);
  printf("%s, %s!\n", hello, name);
#ifdef DEBUG
  fprintf(stderr, "debug: greeted %s\n", name);
#endif
  return 0;
}
