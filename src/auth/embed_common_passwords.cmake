# Writes OUTPUT: a C++ source defining lianxin::auth::kCommonPasswordsText as a raw string
# holding INPUT (common_passwords.txt), so the list needs no file at run time.
file(READ ${INPUT} LIST_TEXT)
string(FIND "${LIST_TEXT}" ")lxpw\"" CLASH)
if(NOT CLASH EQUAL -1)
  message(FATAL_ERROR "common_passwords.txt contains the raw-string delimiter")
endif()
file(WRITE ${OUTPUT}.tmp
     "// Generated from src/auth/common_passwords.txt by embed_common_passwords.cmake.\n"
     "namespace lianxin::auth {\n"
     "extern const char kCommonPasswordsText[];\n"
     "const char kCommonPasswordsText[] = R\"lxpw(${LIST_TEXT})lxpw\";\n"
     "}  // namespace lianxin::auth\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
