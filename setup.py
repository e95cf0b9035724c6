from configparser import ConfigParser
import setuptools, shlex


config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

licenses = {'apache2': 'Apache-2.0'}  # settings.ini's nbdev name -> SPDX expression
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13'.split()

requirements = shlex.split(cfg.get('requirements', ''))
dev_requirements = shlex.split(cfg.get('dev_requirements', ''))
dask_requirements = shlex.split(cfg.get('dask_requirements', ''))
lic = licenses[cfg['license'].lower()]
min_python = cfg['min_python']

# fields with no real home yet (no public repository, docs host or address) stay empty in settings.ini
homepage = {k: v for k, v in (('url', cfg.get('git_url')), ('author_email', cfg.get('author_email'))) if v}

setuptools.setup(
    name = cfg['lib_name'],
    license_expression = lic,
    license_files = ['LICENSE'],
    classifiers = ['Development Status :: ' + statuses[int(cfg['status']) - 1],
                   'Intended Audience :: ' + cfg['audience'].title(),
                   'Natural Language :: ' + cfg['language'].title()] +
                  ['Programming Language :: Python :: '+o for o in py_versions[py_versions.index(min_python):]],
    packages = setuptools.find_packages(include=['fastflow', 'fastflow.*']) + ['fastflow.static'],  # static: the JS bundles
    include_package_data = True,
    package_data = {'fastflow.static': ['*']},
    install_requires = requirements,
    extras_require = {'dev': dev_requirements, 'dask': dask_requirements},
    python_requires = '>=' + cfg['min_python'],
    long_description = open('README.md', encoding='utf-8').read(),
    long_description_content_type = 'text/markdown',
    zip_safe = False,
    entry_points = {'nbdev': [f'{cfg["lib_path"]}={cfg["lib_path"]}._modidx:d']},
    version = cfg['version'],
    description = cfg['description'],
    author = cfg['author'],
    keywords = cfg['keywords'],
    **homepage,
)
