# The Debian package (scripts/package): what `cmake --install` puts in
# /usr besides the binaries, unit and board files, and the CPack DEB
# settings. Configure with -DKIOSK_DEB=ON -DCMAKE_INSTALL_PREFIX=/usr.
option(KIOSK_DEB "Install the Debian package's extra files (/etc/kiosk examples, udev rules, doc)" OFF)
set(KIOSK_DEB_MAINTAINER "Co-op kiosk maintainers <kiosk@example.org>" CACHE STRING
    "Maintainer: field of the Debian package")
set(KIOSK_DEB_RELEASE 1 CACHE STRING "Debian revision of the package version")

if(NOT KIOSK_DEB)
    return()
endif()

set(_deb ${CMAKE_SOURCE_DIR}/scripts/deb)
set(_doc ${CMAKE_INSTALL_DATADIR}/doc/kiosk)

# Examples the operator copies to /etc/kiosk/site.conf and board.conf. They
# are conffiles: dpkg never overwrites a copy the operator edited, and the
# package never ships site.conf or board.conf themselves.
file(GLOB _boards CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/boards/*.conf)
list(FILTER _boards EXCLUDE REGEX "/sim\\.conf$")
list(SORT _boards)
set(_etc ${CMAKE_INSTALL_FULL_SYSCONFDIR}/kiosk/examples)
install(FILES docs/site.example.conf DESTINATION ${_etc} RENAME site.conf)
install(FILES ${_boards} DESTINATION ${_etc}/boards)
set(_conffiles "${_etc}/site.conf\n")
foreach(b ${_boards})
    get_filename_component(bn ${b} NAME)
    string(APPEND _conffiles "${_etc}/boards/${bn}\n")
endforeach()
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/deb/conffiles CONTENT "${_conffiles}")

# Plain Debian gives /dev/gpiochip*, i2c-* and spidev* to root alone.
install(FILES ${_deb}/60-kiosk.rules DESTINATION /lib/udev/rules.d)

file(GLOB _docs ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES ${_docs} DESTINATION ${_doc})
install(FILES ${_deb}/copyright DESTINATION ${_doc})
install(FILES ${_deb}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME kiosk)
# The changelog's latest entry must be this very version.
file(STRINGS ${_deb}/changelog _top LIMIT_COUNT 1)
if(NOT _top MATCHES "^kiosk \\(${PROJECT_VERSION}-${KIOSK_DEB_RELEASE}\\) ")
    message(FATAL_ERROR "scripts/deb/changelog: the first entry is not "
        "${PROJECT_VERSION}-${KIOSK_DEB_RELEASE}; add one (dch, or by hand)")
endif()
find_program(GZIP gzip REQUIRED)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/deb/changelog.Debian.gz
    COMMAND ${GZIP} -9nc ${_deb}/changelog > ${CMAKE_BINARY_DIR}/deb/changelog.Debian.gz
    DEPENDS ${_deb}/changelog VERBATIM)
add_custom_target(kiosk_deb_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/deb/changelog.Debian.gz)
install(FILES ${CMAKE_BINARY_DIR}/deb/changelog.Debian.gz DESTINATION ${_doc})

# Maintainer scripts: CPack copies them as they are (mode 0755, conffiles 0644).
foreach(s postinst prerm postrm)
    configure_file(${_deb}/${s} ${CMAKE_BINARY_DIR}/deb/${s} COPYONLY)
endforeach()

# The Debian architecture: given by scripts/package, else the build machine's.
if(NOT KIOSK_DEB_ARCH)
    execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE KIOSK_DEB_ARCH
                    OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CONTACT "${KIOSK_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${KIOSK_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${KIOSK_DEB_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${KIOSK_DEB_ARCH})
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "pickup kiosk of a Steem/Hive co-operative")
# CPack takes the summary as the synopsis and indents this text below it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "The kiosk daemon shows an order's payment request as a QR code, verifies
the member's transfer against public Steem or Hive nodes over TLS, and
hands the goods over by opening a locker compartment or printing a
receipt. kioskctl is the staff's command line: configuration check, staff
enrolment, order import and reports.

The systemd unit is enabled on installation but starts only once
/etc/kiosk/site.conf and /etc/kiosk/board.conf exist and pass the check.")
# Library dependencies from dpkg-shlibdeps (for a cross build, with the
# target's multiarch -dev packages and DEB_HOST_ARCH set by scripts/package).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# deb-systemd-helper (init-system-helpers) is Essential: not listed.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, unifont")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_BINARY_DIR}/deb/postinst ${CMAKE_BINARY_DIR}/deb/prerm
    ${CMAKE_BINARY_DIR}/deb/postrm ${CMAKE_BINARY_DIR}/deb/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
