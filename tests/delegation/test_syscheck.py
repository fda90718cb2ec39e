from delegation.syscheck import check, missing_library_message


def test_a_missing_pango_names_the_packages_to_install():
    message = missing_library_message(OSError("cannot load library 'pango-1.0-0'"))
    assert "libpango-1.0-0" in message
    assert "brew install pango" in message


def test_a_missing_harfbuzz_subset_names_its_package():
    message = missing_library_message(OSError("cannot load library 'harfbuzz-subset'"))
    assert "libharfbuzz-subset0" in message
    assert "brew install harfbuzz" in message


def test_this_machine_can_make_a_pdf():
    assert check() is None
