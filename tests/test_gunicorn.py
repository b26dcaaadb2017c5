import gc

import pytest

from collective import gunicorn


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_master_hides_the_loaded_site_from_the_collector_before_forking(unfrozen):
    gunicorn.pre_fork(server=None, worker=None)

    assert gc.get_freeze_count() > 0


def test_a_worker_hides_what_it_loaded_from_the_collector(unfrozen):
    gunicorn.post_worker_init(worker=None)

    assert gc.get_freeze_count() > 0
