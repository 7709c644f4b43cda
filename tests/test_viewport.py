"""Where the map looks: the views picked for a site, for "my location" and for a phone-sized map."""

from servicemap import geo, viewport


def test_the_view_around_my_location_holds_its_circle_and_nearest_meal_point():
    bridge, centre = (39.84917, 116.21306), (39.865, 116.240)  # 2.4 km apart
    alone = viewport.view_around(bridge, 1005)
    assert (alone.lat, alone.lon, alone.zoom) == (39.84917, 116.21306, viewport.NEAR_ZOOM)
    both = viewport.view_around(bridge, 1005, (centre,))
    assert both.zoom < viewport.NEAR_ZOOM  # zoomed out to hold both
    assert bridge[0] < both.lat < centre[0] and bridge[1] < both.lon < centre[1]
    far = viewport.view_around(bridge, 1005, ((40.5, 117.5),))  # 130 km away: still a valid zoom
    assert viewport.MIN_ZOOM <= far.zoom < both.zoom


def test_a_view_is_kept_while_a_phone_shows_the_point_and_moved_onto_it_when_not():
    view = viewport.View(39.86, 116.23, 15)  # about 3.7 m a pixel
    assert viewport.view_showing(view, 39.86 + 0.004, 116.23 + 0.001) is view  # 445 m north: 120 px, shown
    assert viewport.view_showing(view, 39.86 + 0.01, 116.23) == viewport.View(39.87, 116.23, 15)  # 300 px: not
    assert viewport.view_showing(view, 39.86, 116.23 + 0.01) == viewport.View(39.86, 116.24, 15)  # 232 px across


def test_a_picked_site_is_shown_as_close_as_its_position_is_known():
    # An approximate position (an area's centre, off by a kilometre or two) keeps its surroundings in view.
    assert viewport.fly_to_zoom("exact", None) == 15
    assert viewport.fly_to_zoom("street", None) == 14
    assert viewport.fly_to_zoom("area", None) == 13
    assert viewport.fly_to_zoom("unknown", None) == 13  # an unknown precision is taken as the roughest
    # Closer still for an exact position if the reader was already closer; never closer for an approximate one.
    assert viewport.fly_to_zoom("exact", 17) == 17
    assert viewport.fly_to_zoom("area", 17) == 13


def test_the_bounds_around_a_walk_hold_the_circle_and_the_points_beside_it():
    (south, west), (north, east) = viewport.reach_bounds((39.86, 116.22), 1000)
    assert round((north - south) / 2 * geo.METRES_PER_DEGREE) == 1000  # a kilometre each way, north and south
    assert east - west > north - south  # a degree of longitude is shorter here: more of them for 1 km
    (south, west), (north, east) = viewport.reach_bounds((39.86, 116.22), 1000, ((39.9, 116.3),))
    assert (north, east) == (39.9, 116.3)
