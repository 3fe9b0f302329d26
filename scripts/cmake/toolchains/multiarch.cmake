# Shared by the cross toolchain files: Debian multiarch puts the target's
# libraries in /usr/lib/<triplet> of the build machine itself.
set(CMAKE_C_COMPILER ${KIOSK_TRIPLET}-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/${KIOSK_TRIPLET})
set(CMAKE_LIBRARY_ARCHITECTURE ${KIOSK_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${KIOSK_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
# No -L: the loader and libc must both be the multiarch libc6:<arch> in /lib.
# "-L /usr/<triplet>" would pair the cross toolchain's ld.so with multiarch
# libc.so.6, two glibc builds whose internals differ (threads then hang).
if(KIOSK_TRIPLET STREQUAL "aarch64-linux-gnu")
    set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
else()
    set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm)
endif()
