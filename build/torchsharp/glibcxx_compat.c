/* Provides std::ios_base_library_init() for libLibTorchSharp.so (TorchSharp 0.107.0, built with GCC 13)
   on Debian 12, whose libstdc++ (GCC 12) lacks it. GCC 12's libstdc++ initialises the standard streams
   itself, so an empty body is correct. See build/torchsharp/TorchSharpDebianFix.targets. */
void _ZSt21ios_base_library_initv(void) {}
